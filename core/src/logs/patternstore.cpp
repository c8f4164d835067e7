#include "cairn/logs/patternstore.h"

#include "cairn/storage/workspace.h"

namespace cairn::logs {

namespace {

const storage::RegisterMigrations kLogsSchema{
    "logs",
    {
        {1, "CREATE TABLE logs_template_set(name TEXT PRIMARY KEY, json TEXT NOT NULL,"
            " updated_ms INTEGER NOT NULL)"},
    }};

} // namespace

Result<void> saveTemplateSet(storage::Workspace& ws, const std::string& name, const TemplateMiner& miner,
                             TimeMs now) {
    auto n =
        ws.execute("INSERT INTO logs_template_set(name, json, updated_ms) VALUES (?, ?, ?)"
                   " ON CONFLICT(name) DO UPDATE SET json = excluded.json, updated_ms = excluded.updated_ms",
                   name, miner.toJson(), now);
    if (!n)
        return std::unexpected(n.error());
    return {};
}

Result<std::optional<TemplateMiner>> loadTemplateSet(storage::Workspace& ws, const std::string& name) {
    auto json = ws.queryOne<std::string>("SELECT json FROM logs_template_set WHERE name = ?", name);
    if (!json)
        return std::unexpected(json.error());
    if (!*json)
        return std::optional<TemplateMiner>{};
    auto miner = TemplateMiner::fromJson(**json);
    if (!miner) {
        Error e = miner.error();
        e.context = "template set '" + name + "' in the workspace: " + e.context;
        return std::unexpected(e);
    }
    return std::optional<TemplateMiner>(std::move(*miner));
}

} // namespace cairn::logs
