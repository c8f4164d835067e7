// Forecast accuracy measures as defined by the M4 competition: sMAPE (percent), MASE scaled by the in-sample
// seasonal naive error, OWA relative to a reference (Naive2), and interval coverage.
// Thread-safety: pure functions.
#pragma once

#include <span>

namespace cairn::forecast {

// Mean over the horizon of 200 |y - f| / (|y| + |f|); points with y = f = 0 count as 0.
double smape(std::span<const double> actual, std::span<const double> predicted);
// Mean |y - f| divided by the mean in-sample |y_t - y_(t-m)|; NaN when the scale is 0 or the history is
// shorter than m + 1 (m falls back to 1 in that case).
double mase(std::span<const double> history, std::span<const double> actual,
            std::span<const double> predicted, int m);
// 0.5 * (sMAPE / sMAPE_ref + MASE / MASE_ref).
double owa(double smape, double mase, double smapeRef, double maseRef);
// Fraction of actual values inside [lower, upper].
double coverage(std::span<const double> actual, std::span<const double> lower, std::span<const double> upper);

} // namespace cairn::forecast
