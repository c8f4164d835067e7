// AnomalyPage: the anomaly browser. Scans every series of the metric source over the window's time range
// (with history before it so the detector has learnt), lists the anomalies in a sortable, filterable table
// (score, time, service, series, detector, deviation, raised/suppressed with the reason), and shows the
// selected one in a detail view: the chart with the expected band and anomaly marks, and the explanation.
// The group detector runs over the instances of each service (and each host's metrics): its anomalies are
// listed with the others (detector "group"); their detail plots the member series and names each one's
// share of the error. Every listed anomaly is correlated into alert groups (same service, host or a
// dependency edge, close in time); the table shows each one's alert group and the status line the
// compression ratio (raised anomalies in / alert groups out).
// Buttons: "Not an anomaly" (feedback remembered in the workspace), a sensitivity choice for the selected
// series or its service, and a silences/maintenance-window editor. Scans run on the window's TaskRunner.
// Keys: Ctrl+R scan, Ctrl+Shift+F filter (Esc clears it), Alt+N not an anomaly, Alt+I silences,
// Ctrl+G group anomalies only / all.
// Thread-safety: UI thread only.
#pragma once

#include "cairn/detect/tuning.h"
#include "cairn/timeseries/series.h"

#include <QWidget>

#include <map>
#include <memory>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QTableView;

namespace cairn::ui {

class AnomalyFilterProxy;
class AnomalyTableModel;
class LazyReload;
class MainWindow;
class MetricChart;

class AnomalyPage : public QWidget {
    Q_OBJECT
public:
    // `store` persists sensitivity, feedback and silences; null = the workspace (in-memory if it cannot
    // open).
    explicit AnomalyPage(MainWindow* window, std::unique_ptr<detect::DetectStore> store = nullptr,
                         QWidget* parent = nullptr);
    ~AnomalyPage() override;

    AnomalyTableModel* model() const { return m_model; }
    AnomalyFilterProxy* proxy() const { return m_proxy; }
    QTableView* table() const { return m_table; }
    MetricChart* chart() const { return m_chart; }
    QLabel* explanation() const { return m_explanation; }
    QPushButton* notAnomalyButton() const { return m_notAnomaly; }
    QPushButton* remediateButton() const { return m_remediate; }
    QComboBox* sensitivityBox() const { return m_sensitivity; }
    QComboBox* kindBox() const { return m_kind; }
    QLineEdit* filterEdit() const { return m_filter; }
    std::size_t alertGroupCount() const { return m_alertGroups; }
    QLabel* statusLabel() const { return m_status; }
    detect::Tuning& tuning() { return *m_tuning; }
    detect::DetectStore& store() { return *m_store; }
    bool isScanning() const { return m_scanning; }

public slots:
    void scan();
    void setFilterText(const QString& text);
    void markSelectedNotAnomaly();
    void editSilences();
    // Emits remediateRequested for the selected anomaly ("Remediate…", Ctrl+Shift+R).
    void remediateSelected();

signals:
    void scanFinished();
    // The operator asks for a remediation of this anomaly; the app opens the remediation panel with it.
    void remediateRequested(const cairn::detect::Anomaly& anomaly);

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    struct ScanResult;
    void showDetail();
    void applySensitivity(int index);
    int selectedSourceRow() const;

    MainWindow* m_window;
    LazyReload* m_lazy = nullptr;
    std::unique_ptr<detect::DetectStore> m_store;
    std::unique_ptr<detect::Tuning> m_tuning;
    AnomalyTableModel* m_model = nullptr;
    AnomalyFilterProxy* m_proxy = nullptr;
    QTableView* m_table = nullptr;
    MetricChart* m_chart = nullptr;
    QLabel* m_explanation = nullptr;
    QLabel* m_status = nullptr;
    QLineEdit* m_filter = nullptr;
    QDoubleSpinBox* m_minScore = nullptr;
    QCheckBox* m_showSuppressed = nullptr;
    QComboBox* m_sensitivity = nullptr;
    QComboBox* m_kind = nullptr;
    QPushButton* m_notAnomaly = nullptr;
    QPushButton* m_remediate = nullptr;
    QPushButton* m_silencesButton = nullptr;
    std::map<std::string, ts::Series> m_series;
    std::map<std::string, std::vector<detect::Estimate>> m_estimates;
    std::size_t m_alertGroups = 0;
    bool m_scanning = false;
};

} // namespace cairn::ui
