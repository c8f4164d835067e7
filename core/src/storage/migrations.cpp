#include "cairn/storage/workspace.h"

#include "storage/migrationplan.h"

#include <algorithm>
#include <map>
#include <set>

namespace cairn::storage {

namespace {

// Function-local statics: RegisterMigrations objects in other translation units run during static
// initialisation, in an unspecified order, so the registry must exist on first use.
std::mutex& registryMutex() {
    static std::mutex m;
    return m;
}

std::vector<Migration>& registry() {
    static std::vector<Migration> r;
    return r;
}

bool validAreaName(std::string_view area) {
    return !area.empty() && area.size() <= 64 && std::ranges::all_of(area, [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
    });
}

bool sameSteps(const Migration& a, const Migration& b) {
    if (a.steps.size() != b.steps.size() || a.dependsOn != b.dependsOn)
        return false;
    for (std::size_t i = 0; i < a.steps.size(); ++i) {
        if (a.steps[i].version != b.steps[i].version || a.steps[i].sql != b.steps[i].sql ||
            static_cast<bool>(a.steps[i].apply) != static_cast<bool>(b.steps[i].apply))
            return false;
    }
    return true;
}

} // namespace

void registerMigrations(Migration migration) {
    std::lock_guard lock(registryMutex());
    registry().push_back(std::move(migration));
}

std::vector<Migration> registeredMigrations() {
    std::lock_guard lock(registryMutex());
    return registry();
}

RegisterMigrations::RegisterMigrations(std::string area, std::vector<MigrationStep> steps,
                                       std::vector<std::string> dependsOn) {
    registerMigrations(Migration{std::move(area), std::move(steps), std::move(dependsOn)});
}

namespace detail {

int newestVersion(const Migration& m) {
    return m.steps.empty() ? 0 : m.steps.back().version;
}

Result<std::vector<Migration>> planMigrations(std::vector<Migration> input) {
    // Validate each area and merge identical duplicates; a conflicting duplicate is a programming
    // error that must not silently pick one of the two schemas.
    std::map<std::string, Migration> byArea;
    for (auto& m : input) {
        if (!validAreaName(m.area))
            return fail(ErrorCode::InvalidArgument,
                        "A workspace migration area name must be 1-64 characters of [a-z0-9_].",
                        "area '" + m.area + "'");
        if (m.steps.empty())
            return fail(ErrorCode::InvalidArgument, "A workspace migration has no steps.", "area " + m.area);
        int previous = 0;
        for (const auto& s : m.steps) {
            if (s.version <= previous)
                return fail(ErrorCode::InvalidArgument,
                            "Workspace migration steps must have positive, strictly increasing versions.",
                            "area " + m.area + ", step " + std::to_string(s.version));
            if (s.sql.empty() && !s.apply)
                return fail(ErrorCode::InvalidArgument,
                            "A workspace migration step has neither SQL nor code.",
                            "area " + m.area + ", step " + std::to_string(s.version));
            previous = s.version;
        }
        auto it = byArea.find(m.area);
        if (it == byArea.end()) {
            byArea.emplace(m.area, std::move(m));
        } else if (!sameSteps(it->second, m)) {
            return fail(ErrorCode::InvalidArgument,
                        "Two different workspace migrations were registered for the same area.",
                        "area " + m.area);
        }
    }

    // Order: an area after the areas it dependsOn (within this batch), otherwise by name.
    std::vector<Migration> ordered;
    std::set<std::string> done;
    std::set<std::string> visiting;
    std::function<Result<void>(const std::string&)> visit = [&](const std::string& area) -> Result<void> {
        if (done.contains(area))
            return {};
        if (visiting.contains(area))
            return fail(ErrorCode::InvalidArgument, "Workspace migrations depend on each other in a cycle.",
                        "area " + area);
        visiting.insert(area);
        auto& m = byArea.at(area);
        std::vector<std::string> deps = m.dependsOn;
        std::ranges::sort(deps);
        for (const auto& d : deps) {
            if (!byArea.contains(d))
                continue; // applied in an earlier batch, or not part of this build
            if (auto r = visit(d); !r)
                return r;
        }
        visiting.erase(area);
        done.insert(area);
        ordered.push_back(m);
        return {};
    };
    for (const auto& [area, m] : byArea) {
        if (auto r = visit(area); !r)
            return std::unexpected(r.error());
    }
    return ordered;
}

} // namespace detail

} // namespace cairn::storage
