// GroupDetector: an ML detector over a group of related series (the pods of a service, the metrics of a
// host) for anomalies no single series shows, e.g. two series that always move together parting ways.
// Each member is standardised with a running mean/variance; a PCA of their running correlation matrix
// (Eigen, recomputed every `refreshPoints` points, so O(d^3 / refresh) amortised per time step, d = members)
// keeps the main components, and the squared reconstruction error (SPE / Q statistic) of each new vector is
// the anomaly measure, judged against its own running typical value. The explanation names the members
// that contribute most to the error. Causal, fixed state O(d^2). Times are UTC milliseconds.
// Thread-safety: one instance per group, used by one thread at a time.
#pragma once

#include "cairn/common/cancel.h"
#include "cairn/detect/detector.h"
#include "cairn/timeseries/series.h"

#include <Eigen/Dense>

#include <cstdint>
#include <span>
#include <utility>
#include <vector>

namespace cairn::detect {

struct GroupConfig {
    double varianceKept = 0.9; // keep the fewest components explaining this share of the variance
    int refreshPoints = 64;    // recompute the PCA every this many time steps
    int warmupPoints = 128;    // time steps before scoring
    double alpha = 0.01;       // EWMA weight of the running mean/covariance
    double bandSigmas = 5.0;   // in sigma-equivalents sqrt(error / typical error); 5 = 25x the typical error
};

struct GroupEstimate {
    double score = 0.0;     // in [0,1]
    double error = 0.0;     // squared reconstruction error of the standardised vector
    double deviation = 0.0; // sqrt(error / typical error): sigma-equivalents
    bool ready = false;
    std::vector<std::pair<std::size_t, double>>
        contributions; // (member index, share of error: z_i * r_i, negatives as 0), largest first
};

class GroupDetector {
public:
    GroupDetector(std::size_t members, GroupConfig config = {});
    // One value per member at time t (NaN = missing: imputed with the member's mean, contributes nothing).
    GroupEstimate update(TimeMs t, std::span<const double> values);
    std::size_t members() const { return m_members; }
    int components() const { return m_components; }
    std::size_t stateBytes() const;

private:
    void refresh();

    GroupConfig m_config;
    std::size_t m_members;
    Eigen::VectorXd m_mean;
    Eigen::VectorXd m_var;
    Eigen::MatrixXd m_cov;   // running covariance of the standardised vectors
    Eigen::MatrixXd m_basis; // members x components
    int m_components = 0;
    double m_errMean = 0.0; // typical reconstruction error (EWMA, clipped at 9x)
    std::int64_t m_count = 0;
    TimeMs m_last = 0;
};

// A group anomaly over aligned series (matched by exact timestamp; a member missing at a time is NaN).
struct GroupAnomaly {
    TimeMs start = 0;
    TimeMs end = 0;
    TimeMs peak = 0;
    double score = 0.0;
    std::vector<std::pair<ts::SeriesId, double>> contributors; // largest share of the error first
    std::string explanation;
};

struct GroupAnalysis {
    std::vector<TimeMs> time;          // the merged timeline
    std::vector<GroupEstimate> points; // one per time (contributions only kept on anomalous points)
    std::vector<GroupAnomaly> anomalies;
    bool complete = true;
};

GroupAnalysis analyzeGroup(const std::vector<ts::Series>& members, const GroupConfig& config = {},
                           double scoreThreshold = 0.5, const CancelToken& cancel = {});

} // namespace cairn::detect
