#include "cairn/detect/tuning.h"

#include "cairn/storage/workspace.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace cairn::detect {

namespace {

const storage::RegisterMigrations kDetectSchema{
    "detect",
    {{1, "CREATE TABLE detect_sensitivity(scope TEXT PRIMARY KEY, band_sigmas REAL NOT NULL);"
         "CREATE TABLE detect_feedback(id INTEGER PRIMARY KEY, series TEXT NOT NULL, at_ms INTEGER NOT NULL,"
         " deviation REAL NOT NULL, note TEXT NOT NULL DEFAULT '', recorded_ms INTEGER NOT NULL);"
         "CREATE INDEX detect_feedback_series ON detect_feedback(series);"
         "CREATE TABLE detect_silence(id TEXT PRIMARY KEY, matcher TEXT NOT NULL, start_ms INTEGER NOT NULL,"
         " duration_ms INTEGER NOT NULL, every_ms INTEGER, maintenance INTEGER NOT NULL DEFAULT 0,"
         " comment TEXT NOT NULL DEFAULT '');"}}};

// Runs a SELECT and turns every row into a T with `read`; the first error (SQL or a row `read` rejects)
// is returned as is.
template <class T, class Read>
Result<std::vector<T>> selectAll(storage::Workspace& ws, std::string_view sql, Read read) {
    auto st = ws.prepare(sql);
    if (!st)
        return std::unexpected(st.error());
    std::vector<T> out;
    for (;;) {
        auto row = st->step();
        if (!row)
            return std::unexpected(row.error());
        if (!*row)
            break;
        Result<T> item = read(*st);
        if (!item)
            return std::unexpected(item.error());
        out.push_back(std::move(*item));
    }
    return out;
}

Result<void> checkSigmas(double k) {
    if (!std::isfinite(k) || k < 0.5 || k > 50)
        return fail(ErrorCode::InvalidArgument,
                    "a sensitivity must be a band width between 0.5 and 50 sigmas");
    return {};
}

std::string matcherJson(const ts::Selector& s) {
    nlohmann::json j;
    j["metric"] = s.metric;
    j["labels"] = s.equals;
    return j.dump();
}

Result<ts::Selector> parseMatcher(const std::string& text) {
    try {
        const auto j = nlohmann::json::parse(text);
        ts::Selector s;
        s.metric = j.value("metric", std::string());
        if (j.contains("labels"))
            s.equals = j.at("labels").get<ts::Labels>();
        return s;
    } catch (const nlohmann::json::exception& e) {
        return fail(ErrorCode::Corrupt, std::string("stored silence matcher is not valid JSON: ") + e.what(),
                    "detect_silence");
    }
}

Result<void> toVoid(const Result<std::int64_t>& r) {
    if (!r)
        return std::unexpected(r.error());
    return {};
}

} // namespace

// ---- MemoryDetectStore ------------------------------------------------------------------------

Result<void> MemoryDetectStore::saveSensitivity(const SensitivitySetting& s) {
    if (auto ok = checkSigmas(s.bandSigmas); !ok)
        return ok;
    std::erase_if(m_sensitivity, [&](const auto& x) { return x.scope == s.scope; });
    m_sensitivity.push_back(s);
    return {};
}

Result<void> MemoryDetectStore::removeSensitivity(const std::string& scope) {
    std::erase_if(m_sensitivity, [&](const auto& x) { return x.scope == scope; });
    return {};
}

Result<void> MemoryDetectStore::addFeedback(const Feedback& f) {
    m_feedback.push_back(f);
    return {};
}

Result<void> MemoryDetectStore::saveSilence(const Silence& s) {
    if (s.id.empty())
        return fail(ErrorCode::InvalidArgument, "a silence needs an id");
    std::erase_if(m_silences, [&](const auto& x) { return x.id == s.id; });
    m_silences.push_back(s);
    return {};
}

Result<void> MemoryDetectStore::removeSilence(const std::string& id) {
    std::erase_if(m_silences, [&](const auto& x) { return x.id == id; });
    return {};
}

// ---- WorkspaceDetectStore ---------------------------------------------------------------------

WorkspaceDetectStore::WorkspaceDetectStore(std::shared_ptr<storage::Workspace> workspace)
    : m_ws(std::move(workspace)) {}

Result<void> WorkspaceDetectStore::saveSensitivity(const SensitivitySetting& s) {
    if (auto ok = checkSigmas(s.bandSigmas); !ok)
        return ok;
    return toVoid(m_ws->execute("INSERT INTO detect_sensitivity(scope, band_sigmas) VALUES (?, ?)"
                                " ON CONFLICT(scope) DO UPDATE SET band_sigmas = excluded.band_sigmas",
                                s.scope, s.bandSigmas));
}

Result<void> WorkspaceDetectStore::removeSensitivity(const std::string& scope) {
    return toVoid(m_ws->execute("DELETE FROM detect_sensitivity WHERE scope = ?", scope));
}

Result<std::vector<SensitivitySetting>> WorkspaceDetectStore::sensitivities() {
    return selectAll<SensitivitySetting>(*m_ws,
                                         "SELECT scope, band_sigmas FROM detect_sensitivity ORDER BY scope",
                                         [](const storage::Statement& st) -> Result<SensitivitySetting> {
                                             return SensitivitySetting{st.text(0), st.real(1)};
                                         });
}

Result<void> WorkspaceDetectStore::addFeedback(const Feedback& f) {
    return toVoid(m_ws->insert("INSERT INTO detect_feedback(series, at_ms, deviation, note, recorded_ms)"
                               " VALUES (?, ?, ?, ?, ?)",
                               f.series, f.at, f.deviation, f.note, f.recordedAt));
}

Result<std::vector<Feedback>> WorkspaceDetectStore::feedback() {
    return selectAll<Feedback>(
        *m_ws, "SELECT series, at_ms, deviation, note, recorded_ms FROM detect_feedback ORDER BY id",
        [](const storage::Statement& st) -> Result<Feedback> {
            return Feedback{st.text(0), st.int64(1), st.real(2), st.text(3), st.int64(4)};
        });
}

Result<void> WorkspaceDetectStore::saveSilence(const Silence& s) {
    if (s.id.empty())
        return fail(ErrorCode::InvalidArgument, "a silence needs an id");
    const std::optional<std::int64_t> every = s.every ? std::optional<std::int64_t>(*s.every) : std::nullopt;
    return toVoid(m_ws->execute(
        "INSERT INTO detect_silence(id, matcher, start_ms, duration_ms, every_ms, maintenance, comment)"
        " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET matcher = excluded.matcher,"
        " start_ms = excluded.start_ms, duration_ms = excluded.duration_ms, every_ms = excluded.every_ms,"
        " maintenance = excluded.maintenance, comment = excluded.comment",
        s.id, matcherJson(s.matcher), s.start, s.duration, every, s.maintenance ? 1 : 0, s.comment));
}

Result<void> WorkspaceDetectStore::removeSilence(const std::string& id) {
    return toVoid(m_ws->execute("DELETE FROM detect_silence WHERE id = ?", id));
}

Result<std::vector<Silence>> WorkspaceDetectStore::silences() {
    return selectAll<Silence>(*m_ws,
                              "SELECT id, matcher, start_ms, duration_ms, every_ms, maintenance, comment "
                              "FROM detect_silence ORDER BY id",
                              [](const storage::Statement& st) -> Result<Silence> {
                                  Silence s;
                                  s.id = st.text(0);
                                  auto m = parseMatcher(st.text(1));
                                  if (!m)
                                      return std::unexpected(m.error());
                                  s.matcher = *m;
                                  s.start = st.int64(2);
                                  s.duration = st.int64(3);
                                  if (!st.isNull(4))
                                      s.every = st.int64(4);
                                  s.maintenance = st.int64(5) != 0;
                                  s.comment = st.text(6);
                                  return s;
                              });
}

// ---- Tuning -----------------------------------------------------------------------------------

Result<void> Tuning::load() {
    auto s = m_store.sensitivities();
    if (!s)
        return std::unexpected(s.error());
    auto f = m_store.feedback();
    if (!f)
        return std::unexpected(f.error());
    m_sensitivity = std::move(*s);
    m_feedback = std::move(*f);
    return {};
}

double Tuning::bandSigmasFor(const ts::SeriesId& id) const {
    const std::string series = seriesScope(id);
    const std::string service =
        id.label("service").empty() ? std::string() : serviceScope(id.label("service"));
    const SensitivitySetting* best = nullptr;
    int rank = 0;
    for (const auto& s : m_sensitivity) {
        const int r = s.scope == series                          ? 3
                      : (!service.empty() && s.scope == service) ? 2
                      : s.scope == "*"                           ? 1
                                                                 : 0;
        if (r > rank) {
            rank = r;
            best = &s;
        }
    }
    return best ? best->bandSigmas : detect::bandSigmasFor(Sensitivity::Medium);
}

AnalysisOptions Tuning::optionsFor(const ts::SeriesId& id, AnalysisOptions base) const {
    base.bandSigmas = bandSigmasFor(id);
    return base;
}

Result<void> Tuning::setSensitivity(const std::string& scope, double bandSigmas) {
    if (scope != "*" && scope.rfind("series:", 0) != 0 && scope.rfind("service:", 0) != 0)
        return fail(ErrorCode::InvalidArgument,
                    "a sensitivity scope is 'series:<id>', 'service:<name>' or '*'", scope);
    SensitivitySetting s{scope, bandSigmas};
    if (auto r = m_store.saveSensitivity(s); !r)
        return r;
    std::erase_if(m_sensitivity, [&](const auto& x) { return x.scope == scope; });
    m_sensitivity.push_back(s);
    return {};
}

Result<void> Tuning::markNotAnomaly(const Anomaly& a, std::string note, TimeMs now) {
    Feedback f{a.series.toString(), a.peak, a.deviation, std::move(note), now ? now : nowMs()};
    if (!std::isfinite(f.deviation) || f.deviation == 0.0) {
        // Older anomalies without a stored deviation: derive it from the band.
        const double half = (a.upper - a.lower) / 2.0;
        const double k = bandSigmasFor(a.series);
        f.deviation = half > 0 && std::isfinite(a.observed) && std::isfinite(a.expected)
                          ? (a.observed - a.expected) / (half / k)
                          : 0.0;
    }
    if (auto r = m_store.addFeedback(f); !r)
        return r;
    m_feedback.push_back(std::move(f));
    return {};
}

std::string Tuning::coveredByFeedback(const Anomaly& a) const {
    const std::string id = a.series.toString();
    auto timeOfDay = [](TimeMs t) { return ((t % kDayMs) + kDayMs) % kDayMs; };
    for (const Feedback& f : m_feedback) {
        if (f.series != id || f.deviation == 0.0 || (f.deviation > 0) != (a.deviation > 0))
            continue;
        TimeMs diff = std::llabs(timeOfDay(a.peak) - timeOfDay(f.at));
        diff = std::min(diff, kDayMs - diff);
        if (diff > 2 * kHourMs || std::fabs(a.deviation) > 1.25 * std::fabs(f.deviation))
            continue;
        char buf[64];
        std::snprintf(buf, sizeof buf, " (%+.1f sigma)", f.deviation);
        return "marked not an anomaly on " + formatIso(f.recordedAt) + " for a similar deviation" + buf +
               (f.note.empty() ? std::string() : ": " + f.note);
    }
    return {};
}

void Tuning::apply(SeriesAnalysis& analysis) const {
    for (Anomaly& a : analysis.anomalies)
        if (a.suppressed.empty())
            a.suppressed = coveredByFeedback(a);
}

} // namespace cairn::detect
