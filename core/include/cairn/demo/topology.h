// The demo web shop's topology as plain values: services with their operations and downstream calls,
// the call graph's edges, hosts (nodes) and the pods that run each service on a host.
// Sizes in bytes, latencies in milliseconds. Thread-safety: plain values, immutable after construction.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace cairn::demo {

// A downstream call made while serving one operation; count may be fractional (0.2 = one call in five).
struct Call {
    std::string service;
    double count = 1.0;
};

// One operation a service serves (an HTTP route, an RPC, a cache or SQL command) and what it calls.
struct Operation {
    std::string name;
    double weight = 1.0; // share of the service's requests (weights of a service sum to 1)
    std::vector<Call> calls;
};

struct ServiceSpec {
    std::string name;
    std::string kind;    // "web", "api", "cache", "database"
    std::string version; // running version at the start of the history
    double selfLatencyMs =
        1.0; // median own processing time per request at low load, without downstream calls
    double baseErrorRatio = 0.0; // background share of failing requests
    double peakCpuRatio = 0.4;   // cpu of each pod at the daily peak, fraction of its limit
    std::int64_t memoryLimitBytes = 0;
    std::int64_t memoryBaseBytes = 0;
    std::int64_t diskCapacityBytes = 0;
    std::int64_t diskBaseBytes = 0;
    std::vector<Operation> operations;
};

// parent calls child on average callsPerRequest times per request parent serves.
struct Edge {
    std::string parent;
    std::string child;
    double callsPerRequest = 0.0;
    bool operator==(const Edge&) const = default;
};

struct HostSpec {
    std::string name; // "node-1"
    std::string ip;   // "10.0.1.11"
    int cpuCores = 8;
};

struct PodSpec {
    std::string name;    // "checkout-5c9d7f6b8-x2k4p"
    std::string service; // "checkout"
    std::string host;    // "node-2"
    std::string ip;      // pod ip, "10.244.2.17"
};

struct Topology {
    std::vector<ServiceSpec> services; // the entry service ("frontend") first
    std::vector<Edge> edges;           // derived from the operations' calls
    std::vector<HostSpec> hosts;
    std::vector<PodSpec> pods;

    const ServiceSpec* service(const std::string& name) const;
    const PodSpec* pod(const std::string& name) const;
    const HostSpec* host(const std::string& name) const;
    std::vector<std::string> podsOf(const std::string& service) const;
    std::vector<std::string> podsOnHost(const std::string& host) const;
    std::vector<std::string> children(const std::string& service) const; // direct downstream services
    std::vector<std::string> parents(const std::string& service) const;  // direct callers
};

// The web shop: 11 services (frontend, catalog, cart, checkout, recommendation, payment, shipping, currency,
// email, redis-cache, orders-db), 24 pods on 5 nodes. Fixed: independent of any seed.
Topology makeWebShopTopology();

} // namespace cairn::demo
