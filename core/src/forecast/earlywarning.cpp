#include "cairn/forecast/earlywarning.h"

#include <algorithm>
#include <cmath>
#include <set>

namespace cairn::forecast {

std::string_view toString(WarningLevel level) {
    return level == WarningLevel::Likely ? "likely" : "possible";
}

std::optional<CrossingWarning> forecastCrossing(const SeriesForecast& f, double threshold, bool above) {
    if (!f.result.ok() || f.time.empty())
        return std::nullopt;
    auto crosses = [&](double v) { return above ? v >= threshold : v <= threshold; };
    const auto& band = above ? f.result.upper95 : f.result.lower95;
    CrossingWarning w;
    w.threshold = threshold;
    w.now = f.history.values.empty() ? 0 : f.history.timeAt(f.history.values.size() - 1);
    std::optional<std::size_t> mean, edge;
    for (std::size_t i = 0; i < f.time.size(); ++i) {
        if (!mean && crosses(f.result.mean[i]))
            mean = i;
        if (!edge && crosses(band[i]))
            edge = i;
    }
    if (!mean && !edge)
        return std::nullopt;
    // value_or(*mean) would read the empty `mean` whenever only the band crosses.
    w.earliest = f.time[edge ? *edge : *mean];
    if (mean) {
        w.level = WarningLevel::Likely;
        w.crossing = f.time[*mean];
    } else {
        w.level = WarningLevel::Possible;
        w.crossing = w.earliest;
    }
    const double hours = static_cast<double>(w.crossing - w.now) / kHourMs;
    char buf[160];
    std::snprintf(buf, sizeof buf, "The forecast %s %s %.4g in %.1f h.",
                  mean ? "crosses" : "may cross (95% band)", above ? "above" : "below", threshold, hours);
    w.message = buf;
    return w;
}

namespace {

constexpr double kClip = 10.0;

// used/capacity pairs become a fraction series: the level that matters for bounded resources.
std::map<std::string, ts::Series> withFractions(const std::map<std::string, ts::Series>& in) {
    std::map<std::string, ts::Series> out = in;
    for (const auto& [name, used] : in) {
        const auto pos = name.find("_used");
        if (pos == std::string::npos)
            continue;
        for (const char* cap : {"_capacity", "_limit"}) {
            std::string capName = name;
            capName.replace(pos, 5, cap);
            const auto it = in.find(capName);
            if (it == in.end() || it->second.empty())
                continue;
            ts::Series frac;
            frac.id.metric = name.substr(0, pos) + "_fraction";
            std::size_t j = 0;
            for (std::size_t i = 0; i < used.size(); ++i) {
                while (j + 1 < it->second.size() && it->second.time[j + 1] <= used.time[i])
                    ++j;
                const double c = it->second.value[j];
                if (c > 0 && std::isfinite(used.value[i])) {
                    frac.time.push_back(used.time[i]);
                    frac.value.push_back(used.value[i] / c);
                }
            }
            out[frac.id.metric] = std::move(frac);
            break;
        }
    }
    return out;
}

// Samples of s in [from, to).
void slice(const ts::Series& s, TimeMs from, TimeMs to, std::vector<double>& t, std::vector<double>& v) {
    t.clear();
    v.clear();
    const auto a = std::lower_bound(s.time.begin(), s.time.end(), from) - s.time.begin();
    const auto b = std::lower_bound(s.time.begin(), s.time.end(), to) - s.time.begin();
    for (auto i = a; i < b; ++i)
        if (std::isfinite(s.value[static_cast<std::size_t>(i)])) {
            t.push_back(static_cast<double>(s.time[static_cast<std::size_t>(i)] - to));
            v.push_back(s.value[static_cast<std::size_t>(i)]);
        }
}

double median(std::vector<double> v) {
    if (v.empty())
        return 0;
    std::nth_element(v.begin(), v.begin() + static_cast<long>(v.size() / 2), v.end());
    return v[v.size() / 2];
}

// Four features of one metric for the window ending at `end`: level, slope and volatility against the
// entity's own previous day, and (for fractions) the raw level.
void features(const ts::Series& s, bool fraction, TimeMs end, TimeMs window, std::vector<double>& out) {
    std::vector<double> bt, bv, t, v;
    slice(s, end - window - kDayMs, end - window, bt, bv);
    slice(s, end - window, end, t, v);
    if (v.size() < 3 || bv.size() < 3) {
        out.insert(out.end(), {0.0, 0.0, 0.0, 0.0});
        return;
    }
    const double base = median(bv);
    std::vector<double> dev(bv.size());
    for (std::size_t i = 0; i < bv.size(); ++i)
        dev[i] = std::abs(bv[i] - base);
    double scale = 1.4826 * median(dev);
    scale = std::max(scale, 0.01 * std::abs(base) + 1e-12);
    const std::size_t q = std::max<std::size_t>(1, v.size() / 4);
    double recent = 0;
    for (std::size_t i = v.size() - q; i < v.size(); ++i)
        recent += v[i];
    recent /= static_cast<double>(q);
    double mt = 0, mv = 0;
    for (std::size_t i = 0; i < v.size(); ++i) {
        mt += t[i];
        mv += v[i];
    }
    mt /= static_cast<double>(v.size());
    mv /= static_cast<double>(v.size());
    double stt = 0, stv = 0, svv = 0;
    for (std::size_t i = 0; i < v.size(); ++i) {
        stt += (t[i] - mt) * (t[i] - mt);
        stv += (t[i] - mt) * (v[i] - mv);
    }
    const double slope = stt > 0 ? stv / stt : 0.0;
    for (std::size_t i = 0; i < v.size(); ++i) {
        const double r = v[i] - mv - slope * (t[i] - mt);
        svv += r * r;
    }
    const double sd = std::sqrt(svv / static_cast<double>(v.size()));
    out.push_back(std::clamp((recent - base) / scale, -kClip, kClip));
    out.push_back(std::clamp(slope * static_cast<double>(window) / scale, -kClip, kClip));
    out.push_back(std::clamp(std::log((sd + 1e-12) / scale), -kClip, kClip) / 2);
    out.push_back(fraction ? std::clamp(5.0 * recent, -kClip, kClip) : 0.0);
}

std::vector<double> featureVector(const std::map<std::string, ts::Series>& series,
                                  const std::vector<std::string>& metrics, TimeMs end, TimeMs window) {
    std::vector<double> f;
    for (const auto& m : metrics) {
        const auto it = series.find(m);
        if (it == series.end()) {
            f.insert(f.end(), {0.0, 0.0, 0.0, 0.0});
            continue;
        }
        features(it->second, m.ends_with("_fraction"), end, window, f);
    }
    return f;
}

double distance(const std::vector<double>& x, const std::vector<double>& c,
                const std::vector<double>& spread) {
    double s = 0;
    for (std::size_t i = 0; i < x.size(); ++i) {
        const double d = (x[i] - c[i]) / spread[i];
        s += d * d;
    }
    return std::sqrt(s / static_cast<double>(std::max<std::size_t>(1, x.size())));
}

TimeMs incidentEnd(const Incident& i) {
    return i.end > i.start ? i.end : i.start + kHourMs;
}

} // namespace

Result<void> PrecursorModel::learn(const std::vector<EntityMetrics>& entities,
                                   const std::vector<Incident>& incidents, const PrecursorOptions& options) {
    m_signatures.clear();
    m_options = options;
    if (options.window <= 0 || options.step <= 0 || options.maxLead <= 0)
        return fail(ErrorCode::InvalidArgument, "Precursor window, step and lead must be positive.");
    std::map<std::string, std::map<std::string, ts::Series>> byEntity;
    for (const auto& e : entities)
        byEntity[e.entity] = withFractions(e.series);
    std::set<std::string> kinds;
    for (const auto& i : incidents)
        if (byEntity.count(i.entity))
            kinds.insert(i.kind);
    for (const auto& kind : kinds) {
        Signature sig;
        sig.kind = kind;
        std::set<std::string> metrics;
        for (const auto& i : incidents)
            if (i.kind == kind)
                for (const auto& [name, s] : byEntity[i.entity])
                    metrics.insert(name);
        sig.metrics.assign(metrics.begin(), metrics.end());
        std::vector<std::vector<double>> pos, neg;
        for (const auto& i : incidents) {
            if (i.kind != kind || !byEntity.count(i.entity))
                continue;
            for (TimeMs d = 0; d <= options.maxLead / 2; d += options.step)
                pos.push_back(featureVector(byEntity[i.entity], sig.metrics, i.start - d, options.window));
        }
        // Normal windows: every entity, hourly, away from any incident on it.
        for (const auto& [entity, series] : byEntity) {
            TimeMs from = std::numeric_limits<TimeMs>::max(), to = std::numeric_limits<TimeMs>::min();
            for (const auto& [name, s] : series)
                if (!s.empty()) {
                    from = std::min(from, s.time.front());
                    to = std::max(to, s.time.back());
                }
            for (TimeMs t = from + kDayMs + options.window; t <= to; t += kHourMs) {
                bool nearIncident = false;
                for (const auto& i : incidents)
                    if (i.entity == entity && t > i.start - options.maxLead - options.window &&
                        t < incidentEnd(i) + options.maxLead)
                        nearIncident = true;
                if (!nearIncident)
                    neg.push_back(featureVector(series, sig.metrics, t, options.window));
            }
        }
        if (pos.empty() || neg.size() < 5)
            continue;
        const std::size_t dims = pos.front().size();
        sig.centroid.assign(dims, 0.0);
        sig.normalCentroid.assign(dims, 0.0);
        sig.spread.assign(dims, 0.0);
        for (const auto& p : pos)
            for (std::size_t k = 0; k < dims; ++k)
                sig.centroid[k] += p[k] / static_cast<double>(pos.size());
        for (const auto& p : neg)
            for (std::size_t k = 0; k < dims; ++k)
                sig.normalCentroid[k] += p[k] / static_cast<double>(neg.size());
        for (const auto& p : neg)
            for (std::size_t k = 0; k < dims; ++k)
                sig.spread[k] += (p[k] - sig.normalCentroid[k]) * (p[k] - sig.normalCentroid[k]) /
                                 static_cast<double>(neg.size());
        for (auto& s : sig.spread)
            s = std::sqrt(s) + 0.25; // a floor: features that never moved in normal times must not dominate
        // Threshold: above every but 1% of normal windows, and at least the configured separation.
        std::vector<double> scores;
        scores.reserve(neg.size());
        for (const auto& p : neg)
            scores.push_back(distance(p, sig.normalCentroid, sig.spread) -
                             distance(p, sig.centroid, sig.spread));
        std::sort(scores.begin(), scores.end());
        sig.threshold =
            std::max(options.minSeparation,
                     scores[std::min(scores.size() - 1, static_cast<std::size_t>(0.99 * scores.size()))]);
        m_signatures.push_back(std::move(sig));
    }
    if (m_signatures.empty())
        return fail(ErrorCode::InsufficientData,
                    "No incident has enough metric history before it (and normal history) to learn from.");
    return {};
}

std::vector<std::string> PrecursorModel::kinds() const {
    std::vector<std::string> k;
    k.reserve(m_signatures.size());
    for (const auto& s : m_signatures)
        k.push_back(s.kind);
    return k;
}

std::vector<PrecursorWarning> PrecursorModel::scan(const EntityMetrics& entity, TimeRange range) const {
    std::vector<PrecursorWarning> out;
    const auto series = withFractions(entity.series);
    for (const auto& sig : m_signatures) {
        TimeMs lastHit = std::numeric_limits<TimeMs>::min() / 2;
        for (TimeMs t = range.start; t < range.end; t += m_options.step) {
            const auto f = featureVector(series, sig.metrics, t, m_options.window);
            const double score =
                distance(f, sig.normalCentroid, sig.spread) - distance(f, sig.centroid, sig.spread);
            if (score < sig.threshold)
                continue;
            if (t - lastHit > m_options.quiet)
                out.push_back({entity.entity, sig.kind, t, score});
            lastHit = t;
        }
    }
    std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.at < b.at; });
    return out;
}

EarlyWarningEvaluation evaluatePrecursors(const std::vector<EntityMetrics>& entities,
                                          const std::vector<Incident>& incidents, TimeRange range,
                                          const PrecursorOptions& options) {
    EarlyWarningEvaluation ev;
    std::vector<double> leads;
    auto isTrue = [&](const PrecursorWarning& w) {
        for (const auto& i : incidents)
            if (i.entity == w.entity && w.at < incidentEnd(i) && w.at >= i.start - options.maxLead)
                return true;
        return false;
    };
    std::set<std::string> withIncidents;
    for (std::size_t k = 0; k < incidents.size(); ++k) {
        const auto& held = incidents[k];
        const auto it = std::find_if(entities.begin(), entities.end(),
                                     [&](const EntityMetrics& e) { return e.entity == held.entity; });
        if (it == entities.end())
            continue;
        ++ev.incidents;
        withIncidents.insert(held.entity);
        std::vector<Incident> others = incidents;
        others.erase(others.begin() + static_cast<long>(k));
        PrecursorModel model;
        if (!model.learn(entities, others, options))
            continue;
        const TimeRange around{std::max(range.start, held.start - options.maxLead), held.start};
        const auto warnings = model.scan(*it, around);
        if (!warnings.empty()) {
            ++ev.warned;
            leads.push_back(static_cast<double>(held.start - warnings.front().at) / kMinuteMs);
        }
    }
    // Precision: warnings over the whole range with the model learned from all incidents.
    PrecursorModel full;
    if (full.learn(entities, incidents, options)) {
        for (const auto& e : entities)
            for (const auto& w : full.scan(e, range)) {
                ++ev.warnings;
                ev.truePositives += isTrue(w) ? 1 : 0;
            }
    }
    if (!leads.empty())
        ev.medianLeadMinutes = median(leads);
    return ev;
}

} // namespace cairn::forecast
