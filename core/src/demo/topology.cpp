#include "cairn/demo/topology.h"

#include <algorithm>
#include <map>

namespace cairn::demo {

namespace {

constexpr std::int64_t kMiB = 1024 * 1024;
constexpr std::int64_t kGiB = 1024 * kMiB;

// Kubernetes-looking name suffixes, fixed so pod names are stable across seeds and runs.
std::string suffix(const std::string& text, int length) {
    static constexpr char kAlphabet[] = "bcdfghjklmnpqrstvwxz2456789";
    std::uint64_t h = 1469598103934665603ULL;
    for (unsigned char c : text)
        h = (h ^ c) * 1099511628211ULL;
    std::string out;
    for (int i = 0; i < length; ++i) {
        h = h * 6364136223846793005ULL + 1442695040888963407ULL;
        out += kAlphabet[(h >> 33) % (sizeof kAlphabet - 1)];
    }
    return out;
}

ServiceSpec svc(std::string name, std::string kind, double selfMs, double err, double cpu,
                std::int64_t memLimit, std::int64_t memBase, std::int64_t diskCap, std::int64_t diskBase,
                std::vector<Operation> ops) {
    ServiceSpec s;
    s.name = std::move(name);
    s.kind = std::move(kind);
    s.version = s.kind == "cache" ? "7.2.4" : s.kind == "database" ? "15.6" : "v1.8.2";
    s.selfLatencyMs = selfMs;
    s.baseErrorRatio = err;
    s.peakCpuRatio = cpu;
    s.memoryLimitBytes = memLimit;
    s.memoryBaseBytes = memBase;
    s.diskCapacityBytes = diskCap;
    s.diskBaseBytes = diskBase;
    s.operations = std::move(ops);
    return s;
}

} // namespace

Topology makeWebShopTopology() {
    Topology t;
    t.services = {
        svc("frontend", "web", 8.0, 0.002, 0.45, 512 * kMiB, 220 * kMiB, 10 * kGiB, 2 * kGiB,
            {{"GET /", 0.30, {{"currency", 1}, {"recommendation", 1}, {"catalog", 1}}},
             {"GET /product/{id}", 0.40, {{"currency", 1}, {"catalog", 1}, {"recommendation", 1}}},
             {"POST /cart", 0.22, {{"cart", 1}, {"currency", 1}}},
             {"POST /checkout", 0.08, {{"checkout", 1}}}}),
        svc("catalog", "api", 6.0, 0.001, 0.40, 1024 * kMiB, 450 * kMiB, 10 * kGiB, 2 * kGiB,
            {{"GetProduct", 0.7, {{"redis-cache", 1}, {"orders-db", 0.2}}},
             {"ListProducts", 0.3, {{"redis-cache", 1}, {"orders-db", 0.5}}}}),
        svc("cart", "api", 4.0, 0.001, 0.35, 512 * kMiB, 180 * kMiB, 10 * kGiB, 2 * kGiB,
            {{"GetCart", 0.6, {{"redis-cache", 1}}}, {"AddItem", 0.4, {{"redis-cache", 2}}}}),
        svc("checkout", "api", 15.0, 0.003, 0.30, 1024 * kMiB, 420 * kMiB, 10 * kGiB, 2 * kGiB,
            {{"PlaceOrder",
              1.0,
              {{"cart", 1},
               {"currency", 1},
               {"payment", 1},
               {"shipping", 1},
               {"orders-db", 1},
               {"email", 1}}}}),
        svc("recommendation", "api", 12.0, 0.001, 0.50, 2048 * kMiB, 900 * kMiB, 10 * kGiB, 2 * kGiB,
            {{"ListRecommendations", 1.0, {{"catalog", 1}}}}),
        svc("payment", "api", 120.0, 0.004, 0.25, 512 * kMiB, 200 * kMiB, 10 * kGiB, 2 * kGiB,
            {{"Charge", 1.0, {}}}),
        svc("shipping", "api", 25.0, 0.002, 0.25, 512 * kMiB, 190 * kMiB, 10 * kGiB, 2 * kGiB,
            {{"GetQuote", 0.5, {{"orders-db", 0.5}}}, {"ShipOrder", 0.5, {{"orders-db", 1}}}}),
        svc("currency", "api", 2.0, 0.0005, 0.40, 256 * kMiB, 90 * kMiB, 10 * kGiB, 2 * kGiB,
            {{"Convert", 1.0, {}}}),
        svc("email", "api", 30.0, 0.002, 0.20, 256 * kMiB, 110 * kMiB, 10 * kGiB, 2 * kGiB,
            {{"SendOrderConfirmation", 1.0, {}}}),
        svc("redis-cache", "cache", 0.6, 0.0002, 0.35, 4096 * kMiB, 1600 * kMiB, 20 * kGiB, 6 * kGiB,
            {{"GET", 0.7, {}}, {"SET", 0.3, {}}}),
        svc("orders-db", "database", 4.0, 0.0005, 0.45, 8192 * kMiB, 5120 * kMiB, 100 * kGiB, 55 * kGiB,
            {{"SELECT", 0.8, {}}, {"INSERT", 0.2, {}}}),
    };

    // Edges: expected calls per request, summed over the parent's operations.
    std::map<std::pair<std::string, std::string>, double> calls;
    std::vector<std::pair<std::string, std::string>> order;
    for (const auto& s : t.services)
        for (const auto& op : s.operations)
            for (const auto& c : op.calls) {
                auto key = std::make_pair(s.name, c.service);
                if (!calls.count(key))
                    order.push_back(key);
                calls[key] += op.weight * c.count;
            }
    for (const auto& key : order)
        t.edges.push_back({key.first, key.second, calls[key]});

    for (int i = 1; i <= 5; ++i)
        t.hosts.push_back({"node-" + std::to_string(i), "10.0.1." + std::to_string(10 + i), 8});

    const std::vector<std::pair<std::string, int>> replicas = {
        {"frontend", 3},       {"catalog", 3},     {"cart", 2},     {"checkout", 2},
        {"recommendation", 2}, {"payment", 2},     {"shipping", 2}, {"currency", 2},
        {"email", 2},          {"redis-cache", 2}, {"orders-db", 2}};
    int k = 0;
    for (const auto& [service, n] : replicas) {
        const ServiceSpec* spec = t.service(service);
        const bool stateful = spec->kind == "cache" || spec->kind == "database";
        const std::string rs = suffix(service, 5) + suffix(service + "/rs", 4);
        for (int r = 0; r < n; ++r, ++k) {
            PodSpec p;
            p.name = stateful ? service + "-" + std::to_string(r)
                              : service + "-" + rs + "-" + suffix(service + std::to_string(r), 5);
            p.service = service;
            const int host = k % 5;
            p.host = t.hosts[static_cast<std::size_t>(host)].name;
            p.ip = "10.244." + std::to_string(host + 1) + "." + std::to_string(10 + k);
            t.pods.push_back(std::move(p));
        }
    }
    return t;
}

const ServiceSpec* Topology::service(const std::string& name) const {
    auto it = std::find_if(services.begin(), services.end(), [&](const auto& s) { return s.name == name; });
    return it == services.end() ? nullptr : &*it;
}

const PodSpec* Topology::pod(const std::string& name) const {
    auto it = std::find_if(pods.begin(), pods.end(), [&](const auto& p) { return p.name == name; });
    return it == pods.end() ? nullptr : &*it;
}

const HostSpec* Topology::host(const std::string& name) const {
    auto it = std::find_if(hosts.begin(), hosts.end(), [&](const auto& h) { return h.name == name; });
    return it == hosts.end() ? nullptr : &*it;
}

std::vector<std::string> Topology::podsOf(const std::string& service) const {
    std::vector<std::string> out;
    for (const auto& p : pods)
        if (p.service == service)
            out.push_back(p.name);
    return out;
}

std::vector<std::string> Topology::podsOnHost(const std::string& host) const {
    std::vector<std::string> out;
    for (const auto& p : pods)
        if (p.host == host)
            out.push_back(p.name);
    return out;
}

std::vector<std::string> Topology::children(const std::string& service) const {
    std::vector<std::string> out;
    for (const auto& e : edges)
        if (e.parent == service)
            out.push_back(e.child);
    return out;
}

std::vector<std::string> Topology::parents(const std::string& service) const {
    std::vector<std::string> out;
    for (const auto& e : edges)
        if (e.child == service)
            out.push_back(e.parent);
    return out;
}

} // namespace cairn::demo
