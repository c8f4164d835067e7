// How the cairn app wires core into the ui: the demo environment's sources and the detector's analysis.
// Thread-safety: the returned Backends are safe to share with worker threads (see ui/backends.h).
#pragma once

#include "ui/backends.h"

#include <cstdint>

namespace cairn::app {

// The simulated web shop (14 days of 1-minute history ending now, plus a live tail) for a seed, analysed by
// the detector's ensemble (detect::analyzeSeries).
ui::Backends makeDemoBackends(std::uint64_t seed);

// detect::analyzeSeries as the UI's AnalyzeFn; the unit for explanations comes from the metric's name.
ui::AnalyzeFn detectorAnalysis();

} // namespace cairn::app
