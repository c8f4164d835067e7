// The demo's injected incidents show as explained anomalies: analyzeSeries with the options the console
// uses (app/cairn/wiring.cpp: defaults plus a unit; no minimum run length) finds, for every incident, an
// anomaly on a series of an affected service (or the faulty pod) during the incident, with an explanation
// and a band. Also checks the change-point stage no longer produces single in-band samples on the demo.
#include "cairn/demo/demoenvironment.h"
#include "cairn/detect/analyze.h"

#include <QtTest>

#include <set>

using namespace cairn;
using namespace cairn::detect;

class TestDetectDemo : public QObject {
    Q_OBJECT
private slots:
    void injectedIncidentsAreExplainedAnomalies() {
        const TimeMs start = 1'767'225'600'000; // 2026-01-01 00:00 UTC, fixed so the test is reproducible
        demo::DemoConfig config;
        config.seed = 1;
        config.historyStart = start;
        config.clock = [end = start + 14 * kDayMs] { return end; };
        demo::DemoEnvironment env(config);
        auto series = env.query({}, env.dataRange(), kMinuteMs);
        QVERIFY2(series.has_value(), series ? "" : series.error().what().c_str());
        std::vector<Anomaly> anomalies;
        std::size_t inBandFlags = 0;
        for (const auto& s : *series) {
            AnalysisOptions options; // what the console uses
            const SeriesAnalysis a = analyzeSeries(s, options);
            for (std::size_t i = 0; i < a.points.size(); ++i) {
                const Estimate& e = a.points[i];
                if (e.score >= options.scoreThreshold && s.value[i] >= e.lower && s.value[i] <= e.upper)
                    ++inBandFlags;
            }
            anomalies.insert(anomalies.end(), a.anomalies.begin(), a.anomalies.end());
        }
        QCOMPARE(inBandFlags,
                 std::size_t(0)); // an anomalous point is always outside the band it is shown with
        const auto incidents = env.incidents();
        QVERIFY(!incidents.empty());
        for (const auto& inc : incidents) {
            std::set<std::string> services(inc.affectedServices.begin(), inc.affectedServices.end());
            services.insert(inc.rootService);
            const Anomaly* hit = nullptr;
            for (const Anomaly& a : anomalies) {
                const bool related = services.count(a.series.label("service")) ||
                                     (!inc.rootPod.empty() && a.series.label("pod") == inc.rootPod);
                if (related && a.start >= inc.start - 10 * kMinuteMs && a.start <= inc.end) {
                    hit = &a;
                    break;
                }
            }
            QVERIFY2(hit, qPrintable(QString::fromStdString(inc.id + " " + inc.primaryMetric + " on " +
                                                            inc.rootService + " not found")));
            QVERIFY(!hit->explanation.empty());
            QVERIFY(!hit->detector.empty());
            QVERIFY(std::isfinite(hit->expected) && std::isfinite(hit->lower) && std::isfinite(hit->upper));
            QVERIFY(hit->lower <= hit->upper);
        }
    }
};

QTEST_GUILESS_MAIN(TestDetectDemo)
#include "tst_detect_demo.moc"
