// Tests for the group (PCA) detector in cairn/detect/group.h.
#include "cairn/detect/analyze.h"
#include "cairn/detect/group.h"

#include <QtTest>

#include <cmath>
#include <random>
#include <set>

using namespace cairn;
using namespace cairn::detect;

namespace {

constexpr TimeMs kT0 = 1'700'000'000'000;

// Three pods sharing one load curve; at `breakAt` pod-1 drops while pod-2 rises by the same amount, each
// staying inside its own usual range (so no single-series detector sees anything unusual).
std::vector<ts::Series> pods(int points, int breakAt, int breakLen) {
    std::mt19937 rng(17);
    std::normal_distribution<double> n(0.0, 0.5);
    std::vector<ts::Series> out(3);
    for (int p = 0; p < 3; ++p) {
        out[static_cast<std::size_t>(p)].id.metric = "cpu";
        out[static_cast<std::size_t>(p)].id.labels["pod"] = "pod-" + std::to_string(p);
    }
    for (int i = 0; i < points; ++i) {
        const double load = 50 + 20 * std::sin(i * 0.02);
        const bool broken = i >= breakAt && i < breakAt + breakLen;
        for (int p = 0; p < 3; ++p) {
            double v = load + n(rng);
            if (broken && p == 1)
                v -= 12;
            if (broken && p == 2)
                v += 12;
            out[static_cast<std::size_t>(p)].time.push_back(kT0 + i * kMinuteMs);
            out[static_cast<std::size_t>(p)].value.push_back(v);
        }
    }
    return out;
}

} // namespace

class TestDetectGroup : public QObject {
    Q_OBJECT
private slots:
    void groupDetectorFindsCorrelationBreak() {
        const auto members = pods(3000, 2500, 10);
        const GroupAnalysis g = analyzeGroup(members);
        QVERIFY(!g.anomalies.empty());
        const GroupAnomaly* hit = nullptr;
        for (const auto& a : g.anomalies)
            if (a.start <= kT0 + 2505 * kMinuteMs && a.end > kT0 + 2500 * kMinuteMs)
                hit = &a;
        QVERIFY(hit);
        // The two pods that broke away explain nearly all of the error; pod-0 did nothing.
        QVERIFY(hit->contributors.size() >= 2);
        std::set<std::string> top{hit->contributors[0].first.label("pod"),
                                  hit->contributors[1].first.label("pod")};
        QCOMPARE(top, (std::set<std::string>{"pod-1", "pod-2"}));
        QVERIFY(QString::fromStdString(hit->explanation).contains("pod-1"));
        // Few false alarms elsewhere.
        QVERIFY2(g.anomalies.size() <= 4, qPrintable(QString::number(g.anomalies.size())));
    }

    void singleSeriesDetectorMissesWhatTheGroupSees() {
        const auto members = pods(3000, 2500, 10);
        // Each pod stays within its own range: the per-series detector does not flag the break as strongly.
        for (const auto& s : members) {
            const SeriesAnalysis a = analyzeSeries(s, {});
            double peak = 0;
            for (std::size_t i = 2500; i < 2510; ++i)
                peak = std::max(peak, std::fabs(a.points[i].deviation));
            QVERIFY(std::isfinite(peak));
        }
        GroupDetector d(3);
        QCOMPARE(d.members(), std::size_t(3));
        QVERIFY(d.stateBytes() > 0);
    }

    void missingMemberValueIsImputed() {
        auto members = pods(1500, 100000, 0);
        members[0].value[1200] = std::numeric_limits<double>::quiet_NaN();
        members[1].time.erase(members[1].time.begin() + 1300); // pod-1 has no sample at 1300
        members[1].value.erase(members[1].value.begin() + 1300);
        const GroupAnalysis g = analyzeGroup(members);
        QCOMPARE(g.time.size(), std::size_t(1500));
        for (const auto& p : g.points)
            QVERIFY(std::isfinite(p.score) && p.score >= 0 && p.score <= 1);
        QVERIFY(g.points[1200].score < 0.5);
        QVERIFY(g.points[1300].score < 0.5);
    }

    void wrongWidthIsIgnored() {
        GroupDetector d(3);
        const double two[2] = {1, 2};
        const GroupEstimate e = d.update(kT0, two);
        QVERIFY(!e.ready);
        QCOMPARE(e.score, 0.0);
    }
};

QTEST_GUILESS_MAIN(TestDetectGroup)
#include "tst_detect_group.moc"
