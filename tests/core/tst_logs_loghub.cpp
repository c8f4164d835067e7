// Loghub accuracy floors: grouping accuracy of the template miner on each Loghub 2k sample present in
// the shared data folder, with one configuration (only the record format differs per system).
// Skips when the data is absent.
#include "cairn/logs/logformat.h"
#include "cairn/logs/loghub.h"
#include "cairn/logs/templateminer.h"

#include <QtTest>

#include <filesystem>

using namespace cairn::logs;

class TestLogsLoghub : public QObject {
    Q_OBJECT
private slots:
    void groupingAccuracyAboveFloor_data() {
        QTest::addColumn<QString>("system");
        QTest::addColumn<double>("floor");
        // Floors sit a little under the measured figures (see the logs report) to catch regressions.
        QTest::addRow("Android") << "Android" << 0.90;
        QTest::addRow("Apache") << "Apache" << 0.99;
        QTest::addRow("BGL") << "BGL" << 0.96;
        QTest::addRow("HDFS") << "HDFS" << 0.99;
        QTest::addRow("HPC") << "HPC" << 0.90;
        QTest::addRow("Hadoop") << "Hadoop" << 0.97;
        QTest::addRow("Linux") << "Linux" << 0.90;
        QTest::addRow("Spark") << "Spark" << 0.97;
        QTest::addRow("Thunderbird") << "Thunderbird" << 0.94;
        QTest::addRow("Zookeeper") << "Zookeeper" << 0.97;
    }
    void groupingAccuracyAboveFloor() {
        QFETCH(QString, system);
        QFETCH(double, floor);
        const std::string dir = std::string(CAIRN_SHARED_DATA_DIR) + "/loghub";
        const std::string s = system.toStdString();
        if (!std::filesystem::exists(dir + "/" + s + "/" + s + "_2k.log"))
            QSKIP(qPrintable("Loghub sample not present: " + QString::fromStdString(dir + "/" + s)));
        auto formats = loadLoghubFormats(dir + "/drain_benchmark_settings.json");
        QVERIFY2(formats.has_value(), formats ? "" : formats.error().what().c_str());
        auto sample = loadLoghubSample(dir, s);
        QVERIFY2(sample.has_value(), sample ? "" : sample.error().what().c_str());
        auto format = LogFormat::compile(formats->at(s));
        QVERIFY(format.has_value());
        TemplateMiner miner;
        ParsedLine parsed;
        std::vector<std::uint64_t> ids;
        for (const auto& line : sample->lines) {
            format->match(line, parsed);
            ids.push_back(miner.add(parsed.message).id);
        }
        for (auto& id : ids)
            id = miner.resolve(TemplateId(id));
        const double ga = groupingAccuracy(ids, sample->truth);
        qInfo("%s grouping accuracy %.4f (floor %.2f)", qPrintable(system), ga, floor);
        QVERIFY2(ga >= floor, qPrintable(QString("GA %1 below floor %2").arg(ga).arg(floor)));
    }
};

QTEST_GUILESS_MAIN(TestLogsLoghub)
#include "tst_logs_loghub.moc"
