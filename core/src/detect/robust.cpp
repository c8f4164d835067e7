#include "cairn/detect/robust.h"

#include "cairn/detect/seasonal.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <cstring>

namespace cairn::detect {

namespace {

// Median of a sorted window of n > 0 values (a local function: the per-point path inlines it).
double sortedMedian(const float* s, int n) {
    if (n % 2 == 1)
        return s[n / 2];
    return 0.5 * (static_cast<double>(s[n / 2 - 1]) + s[n / 2]);
}

// Comparison key for inserting v into a sorted window: v itself when the values below v go before it
// (orEqual false), else the smallest float above v, so that x < key exactly when x <= v, for any float x.
// Integer selects only: whether v moves up or down in the window is random and a branch would mispredict.
float insertKey(float v, bool orEqual) {
    auto bits = std::bit_cast<std::uint32_t>(v);
    const auto negativeZero = static_cast<std::uint32_t>(bits == 0x80000000u);
    bits &= negativeZero - 1u; // -0 counts as +0: the next float above both is the smallest denormal
    const std::uint32_t next = bits + 1u - ((bits >> 31) << 1); // one ulp towards +inf (v < +inf)
    const std::uint32_t pick = 0u - static_cast<std::uint32_t>(orEqual);
    return std::bit_cast<float>((std::bit_cast<std::uint32_t>(v) & ~pick) | (next & pick));
}

} // namespace

RollingMadDetector::RollingMadDetector(double bandSigmas, int warmupPoints)
    : m_bandSigmas(bandSigmas)
    , m_warmup(std::clamp(warmupPoints, 3, kWindow)) {
    m_sorted.fill(HUGE_VALF);
    m_sorted[0] = -HUGE_VALF;
}

void RollingMadDetector::reset() {
    const bool scoring = m_scoring;
    *this = RollingMadDetector(m_bandSigmas, m_warmup);
    m_scoring = scoring;
}

double RollingMadDetector::median() const {
    if (m_size == 0)
        return kNaN;
    return sortedMedian(m_sorted.data() + 1, m_size);
}

double RollingMadDetector::mad(double med) const {
    // Deviations from the median grow outward from the middle of the sorted window: merge both sides,
    // branch-free, with sentinels at both ends.
    const int n = m_size;
    if (n == 0)
        return 0.0;
    const float* buf = m_sorted.data(); // -inf, the n values, +inf
    if (n == kWindow && std::isfinite(med)) {
        // The full window (the usual case): the (k+1)-th smallest deviation is the smallest, over the ways
        // of taking it from j values below the middle and the rest above, of the largest deviation taken
        // (min over j of max(med - s[m - j], s[m + k - j] - med)), which is exactly the value the merge
        // below ends on; no dependent chain of loads. (A zero's sign may differ from the merge's; the scale
        // is floored by a positive number wherever it is used.) med finite: no inf - inf.
        constexpr int kHalf = kWindow / 2; // k: the middle slot is buf[kHalf + 1]
        double d0 = HUGE_VAL;
        double d1 = HUGE_VAL; // two accumulators: half the dependency chain
        for (int j = 1; j <= kHalf + 1; j += 2) {
            d0 = std::min(d0, std::max(med - buf[j], buf[j + kHalf] - med));
            d1 = std::min(d1, std::max(med - buf[j + 1], buf[j + 1 + kHalf] - med));
        }
        return std::min(d0, d1);
    }
    const int k = n / 2;
    int l = ((n % 2 == 1) ? n / 2 : n / 2 - 1) + 1;
    int r = l + 1;
    double d = 0.0;
    for (int picked = 0; picked <= k; ++picked) {
        const double dl = med - buf[l];
        const double dr = buf[r] - med;
        const bool left = dl <= dr;
        d = left ? dl : dr;
        l -= left;
        r += !left;
    }
    return d;
}

double RollingMadDetector::sigma() const {
    if (m_size == 0)
        return 0.0;
    const double med = median();
    const double s = std::max(1.4826 * m_mad, 0.5 * kMeanAbsToSigma * m_absEwma);
    return std::max(s, 1e-3 * std::fabs(med) + 1e-9);
}

Estimate RollingMadDetector::update(TimeMs t, double value) {
    Estimate e;
    if (m_size > 0) {
        e.expected = sortedMedian(m_sorted.data() + 1, m_size);
        const double s = std::max(std::max(1.4826 * m_mad, 0.5 * kMeanAbsToSigma * m_absEwma),
                                  1e-3 * std::fabs(e.expected) + 1e-9);
        e.lower = e.expected - m_bandSigmas * s;
        e.upper = e.expected + m_bandSigmas * s;
        e.ready = m_size >= m_warmup;
        if (std::isfinite(value) && !(m_any && t <= m_last) && e.ready) {
            e.deviation = (value - e.expected) / s;
            e.score = m_scoring ? scoreFromDeviation(e.deviation, m_bandSigmas) : 0.0;
        }
    }
    if (!std::isfinite(value) || (m_any && t <= m_last))
        return e; // skipped: nothing learned
    m_any = true;
    m_last = t;
    if (m_size > 0) {
        const double dev = std::fabs(value - e.expected);
        const double cap = 6.0 * std::max(m_absEwma, 1e-12);
        m_absEwma += 0.05 * ((m_size < m_warmup ? dev : std::min(dev, cap)) - m_absEwma);
    }

    const float v = static_cast<float>(value);
    float* s = m_sorted.data() + 1;
    int n = m_size;
    if (n == kWindow) {
        // Replace the oldest value by the new one in the sorted copy. The ranks of the leaving and the
        // arriving value are random, so searching and shifting with branches mispredicts several times per
        // point: instead every slot is rebuilt from its neighbours with selects on value comparisons
        // (vectorised by the compiler, no data-dependent branch). Same result as removing the first slot
        // holding `old` and putting v after the values below it (v >= old) or up to it (v < old):
        //   t = s without that slot: t[i] = s[i] < old ? s[i] : s[i + 1]
        //   v goes after the t[i] < key, key = v (v >= old) or the next float above v (v < old, so
        //   t[i] < key means t[i] <= v); slots past it hold t[i - 1].
        const float old = m_ring[static_cast<std::size_t>(m_head)];
        const float key = insertKey(v, !(v >= old));
        // Read from the sentinel-padded window itself (a padded local copy would be read back straight
        // after it was written, in pieces that do not match the stores: store-forwarding stalls).
        const float* p = m_sorted.data(); // p[i] = s[i - 1], -inf before s, +inf after it
        float out[kWindow + 1];
        for (int i = 0; i < kWindow + 1; ++i) {
            const float a = p[i]; // unconditional loads: the selects below vectorise
            const float b = p[i + 1];
            const float c = p[i + 2];
            const float prev = a < old ? a : b; // t[i - 1] (-inf for i = 0)
            const float here = b < old ? b : c; // t[i] (+inf for i >= kWindow - 1)
            out[i] = here < key ? here : prev < key ? v : prev;
        }
        std::memcpy(s, out, sizeof out); // out[kWindow] is +inf: the sentinel after s stays
        m_ring[static_cast<std::size_t>(m_head)] = v;
        m_head = m_head + 1 == kWindow ? 0 : m_head + 1;
        n = kWindow - 1; // m_size stays kWindow below
    } else {
        m_ring[static_cast<std::size_t>(m_size)] = v;
        const int at = static_cast<int>(std::upper_bound(s, s + n, v) - s);
        std::memmove(s + at + 1, s + at, sizeof(float) * static_cast<std::size_t>(n - at));
        s[at] = v;
    }
    m_size = n + 1;
    if (++m_sinceMad >= kMadRefresh || m_size < m_warmup + kMadRefresh) {
        m_sinceMad = 0;
        m_mad = mad(sortedMedian(m_sorted.data() + 1, m_size));
    }
    return e;
}

} // namespace cairn::detect
