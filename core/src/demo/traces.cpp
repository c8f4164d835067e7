// Traces of the demo environment: a handful of sampled requests per minute, each a tree of spans that
// follows the call graph (one server span per service hop), with durations drawn around the services'
// latency at that minute and errors at their error ratios. Trace ids encode their minute and index so a
// trace can be regenerated from its id alone.
#include "model.h"

#include <algorithm>
#include <cstdio>
#include <functional>

namespace cairn::demo::detail {

namespace {

std::string hex64(std::uint64_t v) {
    char buf[17];
    std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(v));
    return buf;
}

std::uint64_t idMask(std::uint64_t seed) {
    return mix64(seed ^ 0x7a3c5e1f2b4d6081ULL);
}

} // namespace

int Model::baseTraceCount(const MinuteState& st) const {
    const double expected = 3.0 + 5.0 * std::min(1.2, st.util);
    const double f = expected - std::floor(expected);
    return static_cast<int>(expected) +
           (unit(hashOf(seed, 300, static_cast<std::uint64_t>(st.minute))) < f ? 1 : 0);
}

int Model::troubledService(const MinuteState& st) const {
    const double load = 1.0 + 0.3 * st.util * st.util;
    int worst = -1;
    double worstScore = 0.02;
    for (std::size_t s = 1; s < topo.services.size(); ++s) {
        const auto& spec = topo.services[s];
        const double score = std::max(0.0, st.selfErr[s] - 3.0 * spec.baseErrorRatio) +
                             0.01 * std::max(0.0, st.selfP50[s] / (spec.selfLatencyMs * load) - 2.0);
        if (score > worstScore) {
            worstScore = score;
            worst = static_cast<int>(s);
        }
    }
    return worst;
}

int Model::traceCount(const MinuteState& st) const {
    return baseTraceCount(st) + (troubledService(st) >= 0 ? 4 : 0);
}

bool Model::decodeTraceId(const std::string& id, std::int64_t& minute, int& index) const {
    if (id.size() != 32)
        return false;
    std::uint64_t low = 0;
    for (std::size_t i = 16; i < 32; ++i) {
        const char c = id[i];
        int v = 0;
        if (c >= '0' && c <= '9')
            v = c - '0';
        else if (c >= 'a' && c <= 'f')
            v = c - 'a' + 10;
        else if (c >= 'A' && c <= 'F')
            v = c - 'A' + 10;
        else
            return false;
        low = (low << 4) | static_cast<std::uint64_t>(v);
    }
    const std::uint64_t v = low ^ idMask(seed);
    minute = static_cast<std::int64_t>(v >> 4);
    index = static_cast<int>(v & 15);
    return true;
}

sources::Trace Model::makeTrace(const MinuteState& st, int index) const {
    const auto um = static_cast<std::uint64_t>(st.minute);
    const std::uint64_t th = hashOf(seed, 301, um, static_cast<std::uint64_t>(index));
    sources::Trace trace;
    trace.traceId = hex64(th) + hex64(((um << 4) | static_cast<std::uint64_t>(index)) ^ idMask(seed));
    std::uint64_t n = 0;
    auto next = [&]() { return hashOf(th, n++); };

    std::function<std::pair<TimeUs, bool>(std::size_t, const Operation&, TimeUs, const std::string&)> span =
        [&](std::size_t s, const Operation& op, TimeUs start,
            const std::string& parent) -> std::pair<TimeUs, bool> {
        const auto& spec = topo.services[s];
        const auto& pods = podsOfService[s];
        const auto pod = static_cast<std::size_t>(pods[next() % pods.size()]);
        double meanFactor = 0;
        for (int p : pods)
            meanFactor += st.podLatencyFactor[static_cast<std::size_t>(p)];
        meanFactor /= static_cast<double>(pods.size());
        const double selfMs =
            st.selfP50[s] * st.podLatencyFactor[pod] / meanFactor * std::exp(0.42 * gauss(next()));
        const auto selfUs = static_cast<TimeUs>(std::max(20.0, selfMs * 1000.0));

        const std::size_t at = trace.spans.size();
        trace.spans.emplace_back();
        {
            auto& sp = trace.spans[at];
            sp.traceId = trace.traceId;
            sp.spanId = hex64(next());
            sp.parentSpanId = parent;
            sp.service = spec.name;
            sp.operation = op.name;
            sp.host = topo.pods[pod].host;
            sp.startUs = start;
            sp.kind = sources::SpanKind::Server;
        }
        const std::string myId = trace.spans[at].spanId;
        TimeUs cursor = start + selfUs * 3 / 10;
        bool childError = false;
        for (const auto& call : op.calls) {
            const int c = serviceIndex(call.service);
            const auto& cs = topo.services[static_cast<std::size_t>(c)];
            const int whole = static_cast<int>(call.count);
            const int calls = whole + (unit(next()) < call.count - whole ? 1 : 0);
            for (int k = 0; k < calls; ++k) {
                double r = unit(next());
                const Operation* cop = &cs.operations.back();
                for (const auto& o : cs.operations) {
                    if (r < o.weight) {
                        cop = &o;
                        break;
                    }
                    r -= o.weight;
                }
                const auto [dur, err] = span(static_cast<std::size_t>(c), *cop, cursor + 15, myId);
                cursor += 15 + dur + static_cast<TimeUs>(next() % 60);
                if (err && unit(next()) < 0.5)
                    childError = true;
            }
        }
        const bool ownError = unit(next()) < st.selfErr[s];
        const bool error = ownError || childError;
        auto& sp = trace.spans[at];
        sp.durationUs = cursor + selfUs * 7 / 10 - start;
        sp.error = error;
        sp.tags["span.kind"] = "server";
        sp.tags["pod"] = topo.pods[pod].name;
        sp.tags["service.version"] = versionAt(static_cast<int>(s), st.minute * kMinuteMs);
        if (spec.kind == "web") {
            const auto space = op.name.find(' ');
            sp.tags["http.method"] = op.name.substr(0, space);
            sp.tags["http.route"] = op.name.substr(space + 1);
            sp.tags["http.status_code"] = error ? "500" : "200";
        } else if (spec.kind == "cache") {
            sp.tags["db.system"] = "redis";
            sp.tags["db.operation"] = op.name;
        } else if (spec.kind == "database") {
            sp.tags["db.system"] = "postgresql";
            sp.tags["db.statement"] = op.name == "INSERT"
                                          ? "INSERT INTO orders (customer_id, total) VALUES ($1, $2)"
                                          : "SELECT id, status, total FROM orders WHERE id = $1";
        } else {
            sp.tags["rpc.system"] = "grpc";
            sp.tags["rpc.method"] = op.name;
            sp.tags["rpc.grpc.status_code"] = error ? "14" : "0";
        }
        if (error) {
            sp.tags["error"] = "true";
            sp.tags["otel.status_code"] = "ERROR";
            if (ownError)
                sp.tags["error.kind"] = st.errorTemplate[s] == ErrorTemplate::DeployNpe
                                            ? "NullPointerException"
                                        : st.errorTemplate[s] == ErrorTemplate::DiskFull ? "ENOSPC"
                                        : st.errorTemplate[s] == ErrorTemplate::Timeout  ? "DeadlineExceeded"
                                                                                         : "InternalError";
        }
        return {sp.durationUs, error};
    };

    const TimeUs rootStart = st.minute * kMinuteMs * 1000 + static_cast<TimeUs>(next() % 60'000'000ULL);
    const auto& frontend = topo.services[0];
    // Extra traces (index past the base count) only take entry operations that reach the troubled service.
    const int troubled = index >= baseTraceCount(st) ? troubledService(st) : -1;
    auto eligible = [&](std::size_t k) {
        return troubled < 0 || entryReach[k][static_cast<std::size_t>(troubled)] != 0;
    };
    double total = 0;
    for (std::size_t k = 0; k < frontend.operations.size(); ++k)
        if (eligible(k))
            total += frontend.operations[k].weight;
    double r = unit(next()) * total;
    const Operation* op = &frontend.operations.back();
    for (std::size_t k = 0; k < frontend.operations.size(); ++k) {
        if (!eligible(k))
            continue;
        op = &frontend.operations[k];
        if (r < op->weight)
            break;
        r -= op->weight;
    }
    span(0, *op, rootStart, std::string());
    return trace;
}

} // namespace cairn::demo::detail
