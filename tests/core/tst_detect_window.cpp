// Tests for the per-point fast paths of cairn/detect: the branch-free sorted window of RollingMadDetector
// must keep exactly the window the straightforward algorithm (search the leaving value, slide the values
// between it and the arriving one) keeps, and its MAD must be the one a merge of the deviations on both
// sides of the median finds, for any data: duplicates, signed zeros, values beyond float range,
// denormals, monotone runs.
#include "cairn/detect/robust.h"
#include "cairn/detect/seasonal.h"

#include <QtTest>

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <functional>
#include <limits>
#include <random>
#include <vector>

using namespace cairn;
using namespace cairn::detect;

namespace {

// The reference: the rolling window kept sorted by a binary search and in-place slides, its MAD found by
// merging the deviations below and above the median, and the detector's scale from both.
class ReferenceWindow {
public:
    void push(double value) {
        if (m_size > 0) {
            const double dev = std::fabs(value - median());
            const double cap = 6.0 * std::max(m_absEwma, 1e-12);
            m_absEwma += 0.05 * ((m_size < kWarmup ? dev : std::min(dev, cap)) - m_absEwma);
        }
        insert(value);
        if (++m_sinceMad >= RollingMadDetector::kMadRefresh ||
            m_size < kWarmup + RollingMadDetector::kMadRefresh) {
            m_sinceMad = 0;
            m_mad = mad(median());
        }
    }
    double median() const {
        if (m_size % 2 == 1)
            return m_sorted[static_cast<std::size_t>(m_size / 2)];
        return 0.5 * (static_cast<double>(m_sorted[static_cast<std::size_t>(m_size / 2 - 1)]) +
                      m_sorted[static_cast<std::size_t>(m_size / 2)]);
    }
    double sigma() const {
        const double s = std::max(1.4826 * m_mad, 0.5 * kMeanAbsToSigma * m_absEwma);
        return std::max(s, 1e-3 * std::fabs(median()) + 1e-9);
    }

private:
    static constexpr int kWarmup = 8; // RollingMadDetector's default

    double mad(double med) const {
        // Take the k + 1 smallest deviations, always the smaller of the next one below and above (past either
        // end: -inf and +inf values, so an infinite median gives NaN deviations as in the detector).
        int l = (m_size % 2 == 1 ? m_size / 2 : m_size / 2 - 1);
        int r = l + 1;
        double d = 0.0;
        for (int picked = 0; picked <= m_size / 2; ++picked) {
            const double dl = med - (l >= 0 ? m_sorted[static_cast<std::size_t>(l)] : -HUGE_VALF);
            const double dr = (r < m_size ? m_sorted[static_cast<std::size_t>(r)] : HUGE_VALF) - med;
            d = dl <= dr ? dl : dr;
            (dl <= dr ? l : r) += dl <= dr ? -1 : 1;
        }
        return d;
    }
    void insert(double value) {
        const float v = static_cast<float>(value);
        constexpr int kN = RollingMadDetector::kWindow;
        float* s = m_sorted.data();
        if (m_size == kN) {
            const float old = m_ring[static_cast<std::size_t>(m_head)];
            int at = static_cast<int>(std::lower_bound(s, s + kN, old) - s);
            if (v >= old) {
                while (at + 1 < kN && s[at + 1] < v) {
                    s[at] = s[at + 1];
                    ++at;
                }
            } else {
                while (at > 0 && s[at - 1] > v) {
                    s[at] = s[at - 1];
                    --at;
                }
            }
            s[at] = v;
            m_ring[static_cast<std::size_t>(m_head)] = v;
            m_head = (m_head + 1) % kN;
        } else {
            m_ring[static_cast<std::size_t>(m_size)] = v;
            const int at = static_cast<int>(std::upper_bound(s, s + m_size, v) - s);
            std::memmove(s + at + 1, s + at, sizeof(float) * static_cast<std::size_t>(m_size - at));
            s[at] = v;
            ++m_size;
        }
    }

    std::array<float, RollingMadDetector::kWindow> m_ring{};
    std::array<float, RollingMadDetector::kWindow> m_sorted{};
    int m_size = 0;
    int m_head = 0;
    int m_sinceMad = 0;
    double m_absEwma = 0.0;
    double m_mad = 0.0;
};

bool same(double a, double b) {
    return std::bit_cast<std::uint64_t>(a) == std::bit_cast<std::uint64_t>(b) ||
           (std::isnan(a) && std::isnan(b));
}

// Feeds `values` to both; the medians must agree to the bit (sign of zero included) after every point, and
// so must the scales (MAD-based sigma; a MAD of zero may differ in sign, sigma is floored above zero).
bool sameWindow(const std::vector<double>& values, QString& why) {
    RollingMadDetector mad;
    ReferenceWindow ref;
    TimeMs t = 1'700'000'000'000;
    for (std::size_t i = 0; i < values.size(); ++i) {
        mad.update(t, values[i]);
        ref.push(values[i]);
        t += 60'000;
        const double a = mad.median();
        const double b = ref.median();
        if (!same(a, b) || !same(mad.sigma(), ref.sigma())) {
            why =
                QStringLiteral("point %1 (value %2): median %3 (bits %4), reference %5 (bits %6); sigma %7, "
                               "reference %8")
                    .arg(i)
                    .arg(values[i])
                    .arg(a)
                    .arg(std::bit_cast<std::uint64_t>(a), 0, 16)
                    .arg(b)
                    .arg(std::bit_cast<std::uint64_t>(b), 0, 16)
                    .arg(mad.sigma(), 0, 'g', 17)
                    .arg(ref.sigma(), 0, 'g', 17);
            return false;
        }
    }
    return true;
}

std::vector<double> generate(int n, unsigned seed, const std::function<double(std::mt19937&, int)>& f) {
    std::mt19937 rng(seed);
    std::vector<double> v;
    v.reserve(static_cast<std::size_t>(n));
    for (int i = 0; i < n; ++i)
        v.push_back(f(rng, i));
    return v;
}

} // namespace

class TestDetectWindow : public QObject {
    Q_OBJECT

private slots:
    void windowMatchesReference_data() {
        QTest::addColumn<int>("kind");
        QTest::newRow("gaussian noise") << 0;
        QTest::newRow("few distinct values (duplicates)") << 1;
        QTest::newRow("signed zeros and ones") << 2;
        QTest::newRow("beyond float range (+-inf as float)") << 3;
        QTest::newRow("denormal floats") << 4;
        QTest::newRow("monotone up then down") << 5;
        QTest::newRow("spikes on a flat line") << 6;
    }
    void windowMatchesReference() {
        QFETCH(int, kind);
        const float denorm = std::numeric_limits<float>::denorm_min();
        const auto values =
            generate(20'000, 11u + static_cast<unsigned>(kind), [&](std::mt19937& rng, int i) {
                std::normal_distribution<double> n(0.0, 1.0);
                switch (kind) {
                case 0:
                    return 100.0 + 5.0 * n(rng);
                case 1:
                    return static_cast<double>(rng() % 4);
                case 2: {
                    const double pick[] = {-0.0, 0.0, 1.0, -1.0};
                    return pick[rng() % 4];
                }
                case 3: {
                    const double pick[] = {1e300, -1e300, 1e39, -1e39, 0.0, 1.0};
                    return rng() % 3 == 0 ? pick[rng() % 6] : n(rng);
                }
                case 4:
                    return static_cast<double>(denorm) * static_cast<double>(rng() % 5) *
                           (rng() % 2 ? 1 : -1);
                case 5:
                    return static_cast<double>(i % 2000 < 1000 ? i % 2000 : 2000 - i % 2000);
                default:
                    return rng() % 50 == 0 ? 1e6 : 7.0;
                }
            });
        QString why;
        QVERIFY2(sameWindow(values, why), qPrintable(why));
    }

    void skippedPointsLeaveTheWindow() {
        // NaN/Inf and out-of-order points must not enter the window.
        RollingMadDetector mad;
        ReferenceWindow ref;
        TimeMs t = 1'700'000'000'000;
        std::mt19937 rng(3);
        for (int i = 0; i < 500; ++i) {
            const double v = static_cast<double>(rng() % 100);
            mad.update(t, v);
            ref.push(v);
            mad.update(t, 1e9);                                          // same time: skipped
            mad.update(t + 1, std::numeric_limits<double>::quiet_NaN()); // NaN: skipped
            t += 60'000;
            QCOMPARE(mad.median(), ref.median());
        }
    }
};

QTEST_GUILESS_MAIN(TestDetectWindow)
#include "tst_detect_window.moc"
