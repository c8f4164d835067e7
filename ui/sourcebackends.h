// Which sources feed the views: builds the Backends (metrics, logs, traces) from the configured data sources.
// For each signal the first configured source that provides it is used (Prometheus for metrics,
// Elasticsearch/OpenSearch for logs, Jaeger/Zipkin/Tempo for traces). As soon as one real source is
// configured the demo no longer fills the other signals (real metrics next to simulated logs would mislead),
// unless a "demo" entry is in the list. Connectors that serve one thread at a time are wrapped so that
// concurrent worker jobs take turns. Thread-safety: call on any thread; the result is shareable.
#pragma once

#include "backends.h"

#include "cairn/sources/sourceconfig.h"

#include <QStringList>

#include <vector>

namespace cairn::ui {

struct SourceBackends {
    Backends backends;
    bool fromSources = false; // false: nothing real configured, the demo backends are returned unchanged
    QStringList errors;       // one sentence per source that could not be built
};

SourceBackends backendsFromSources(const std::vector<sources::SourceConfig>& configs,
                                   const sources::SecretResolver& resolve, const Backends& demo);

} // namespace cairn::ui
