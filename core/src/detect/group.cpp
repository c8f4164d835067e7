#include "cairn/detect/group.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>

namespace cairn::detect {

GroupDetector::GroupDetector(std::size_t members, GroupConfig config)
    : m_config(config)
    , m_members(members)
    , m_mean(Eigen::VectorXd::Zero(static_cast<Eigen::Index>(members)))
    , m_var(Eigen::VectorXd::Zero(static_cast<Eigen::Index>(members)))
    , m_cov(Eigen::MatrixXd::Zero(static_cast<Eigen::Index>(members), static_cast<Eigen::Index>(members))) {}

std::size_t GroupDetector::stateBytes() const {
    const auto d = static_cast<std::size_t>(m_members);
    return sizeof(*this) +
           sizeof(double) * (2 * d + d * d + d * static_cast<std::size_t>(std::max(m_components, 0)));
}

void GroupDetector::refresh() {
    Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> solver(m_cov);
    if (solver.info() != Eigen::Success) {
        m_components = 0;
        return;
    }
    const Eigen::VectorXd values = solver.eigenvalues().reverse(); // largest first
    const double total = std::max(values.sum(), 1e-12);
    int k = 0;
    double kept = 0.0;
    while (k < values.size() && kept < m_config.varianceKept * total) {
        kept += std::max(values(k), 0.0);
        ++k;
    }
    // Keep at least one dimension out of the model, or every vector reconstructs perfectly.
    k = std::min<int>(k, static_cast<int>(m_members) - 1);
    m_components = std::max(k, 0);
    m_basis = solver.eigenvectors().rowwise().reverse().leftCols(m_components);
}

GroupEstimate GroupDetector::update(TimeMs t, std::span<const double> values) {
    GroupEstimate out;
    if (values.size() != m_members || m_members < 2 || (m_count > 0 && t <= m_last))
        return out;
    const auto d = static_cast<Eigen::Index>(m_members);
    Eigen::VectorXd z(d);
    Eigen::VectorXd x(d);
    bool any = false;
    for (Eigen::Index i = 0; i < d; ++i) {
        const double v = values[static_cast<std::size_t>(i)];
        const bool ok = std::isfinite(v);
        any = any || ok;
        x(i) = ok ? v : (m_count > 0 ? m_mean(i) : 0.0);
        const double sd = std::sqrt(std::max(m_var(i), 1e-12));
        z(i) = (ok && m_count > 0) ? std::clamp((x(i) - m_mean(i)) / sd, -50.0, 50.0) : 0.0;
    }
    if (!any)
        return out;
    m_last = t;
    ++m_count;

    if (m_count > m_config.warmupPoints && m_components >= 0 && m_basis.rows() == d) {
        // Missing members take the value the model reconstructs from the others (a few fixed-point
        // rounds), so a gap is neither an anomaly nor a contributor.
        std::vector<Eigen::Index> missing;
        for (Eigen::Index i = 0; i < d; ++i)
            if (!std::isfinite(values[static_cast<std::size_t>(i)]))
                missing.push_back(i);
        for (int round = 0; round < 4 && !missing.empty() && m_components > 0; ++round) {
            const Eigen::VectorXd rec = m_basis * (m_basis.transpose() * z);
            for (Eigen::Index i : missing)
                z(i) = rec(i);
        }
        Eigen::VectorXd residual = z - m_basis * (m_basis.transpose() * z);
        for (Eigen::Index i : missing)
            residual(i) = 0.0;
        out.error = residual.squaredNorm();
        // The error is a sum of squares (chi-square-like tail): express it as sigma-equivalents
        // sqrt(error / typical error), so the band means the same as for single series.
        out.deviation = std::sqrt(out.error / std::max(m_errMean, 1e-12));
        out.score = scoreFromDeviation(out.deviation, m_config.bandSigmas);
        out.ready = true;
        if (out.score >= 0.5 && out.error > 0) {
            // Partial contributions z_i * r_i: they sum to the error (z.r = r.r for an orthogonal
            // projection) and, unlike r_i^2, name the member that moved: with two members r_i^2 always
            // splits the error evenly, while z_i * r_i gives it to the one whose own value left its normal.
            // Negative terms (members pulled along) count as 0.
            double positive = 0.0;
            for (Eigen::Index i = 0; i < d; ++i)
                positive += std::max(0.0, z(i) * residual(i));
            for (Eigen::Index i = 0; i < d; ++i)
                out.contributions.emplace_back(static_cast<std::size_t>(i),
                                               positive > 0 ? std::max(0.0, z(i) * residual(i)) / positive
                                                            : residual(i) * residual(i) / out.error);
            std::sort(out.contributions.begin(), out.contributions.end(),
                      [](const auto& a, const auto& b) { return a.second > b.second; });
        }
        // The error's own running distribution, robust to the anomalies it flags (clipped).
        const double a = m_config.alpha;
        const double e = std::min(out.error, 9.0 * m_errMean);
        m_errMean += a * (e - m_errMean);
    }

    // Learn: running mean/variance per member, then the covariance of the standardised vectors.
    const double a = std::max(m_config.alpha, 1.0 / static_cast<double>(m_count));
    for (Eigen::Index i = 0; i < d; ++i) {
        const double diff = x(i) - m_mean(i);
        m_mean(i) += a * diff;
        m_var(i) += a * (diff * diff - m_var(i));
    }
    if (m_count > 1) {
        const Eigen::VectorXd zc = z.cwiseMax(-6.0).cwiseMin(6.0);
        m_cov += a * (zc * zc.transpose() - m_cov);
    }
    if (m_count == m_config.warmupPoints ||
        (m_count > m_config.warmupPoints && m_count % m_config.refreshPoints == 0))
        refresh();
    if (m_count == m_config.warmupPoints) {
        // Seed the typical error with the share of variance the kept components leave out.
        const double left = m_cov.trace() - (m_basis.transpose() * m_cov * m_basis).trace();
        m_errMean = std::max(left, 1e-6);
    }
    return out;
}

GroupAnalysis analyzeGroup(const std::vector<ts::Series>& members, const GroupConfig& config,
                           double threshold, const CancelToken& cancel) {
    GroupAnalysis out;
    std::map<TimeMs, std::vector<double>> rows;
    const std::size_t d = members.size();
    for (std::size_t m = 0; m < d; ++m) {
        const auto& s = members[m];
        for (std::size_t i = 0; i < std::min(s.time.size(), s.value.size()); ++i) {
            auto [it, inserted] = rows.try_emplace(s.time[i]);
            if (inserted)
                it->second.assign(d, std::numeric_limits<double>::quiet_NaN());
            it->second[m] = s.value[i];
        }
    }
    GroupDetector detector(d, config);
    std::size_t n = 0;
    for (const auto& [t, v] : rows) {
        if ((++n & 1023) == 0 && cancel.isCancelled()) {
            out.complete = false;
            break;
        }
        out.time.push_back(t);
        out.points.push_back(detector.update(t, v));
    }
    // Runs of anomalous time steps become group anomalies; contributions are summed over the run.
    for (std::size_t i = 0; i < out.points.size();) {
        if (out.points[i].score < threshold) {
            ++i;
            continue;
        }
        GroupAnomaly a;
        a.start = out.time[i];
        std::vector<double> share(d, 0.0);
        std::size_t peak = i;
        std::size_t j = i;
        for (; j < out.points.size() && out.points[j].score >= threshold; ++j) {
            for (const auto& [m, c] : out.points[j].contributions)
                share[m] += c;
            if (out.points[j].score > out.points[peak].score)
                peak = j;
        }
        a.end = j < out.time.size() ? out.time[j] : out.time[j - 1] + 1;
        a.peak = out.time[peak];
        a.score = out.points[peak].score;
        double total = 0;
        for (double s : share)
            total += s;
        std::vector<std::size_t> order(d);
        for (std::size_t m = 0; m < d; ++m)
            order[m] = m;
        std::sort(order.begin(), order.end(),
                  [&](std::size_t x, std::size_t y) { return share[x] > share[y]; });
        for (std::size_t m : order)
            if (total > 0 && share[m] / total >= 0.05)
                a.contributors.emplace_back(members[m].id, share[m] / total);
        char buf[96];
        std::snprintf(buf, sizeof buf,
                      "group pattern broken (%+.1f sigma reconstruction error); top contributors: ",
                      out.points[peak].deviation);
        a.explanation = buf;
        for (std::size_t c = 0; c < std::min<std::size_t>(3, a.contributors.size()); ++c) {
            std::snprintf(buf, sizeof buf, "%s%s %.0f%%", c ? ", " : "",
                          a.contributors[c].first.toString().c_str(), 100.0 * a.contributors[c].second);
            a.explanation += buf;
        }
        out.anomalies.push_back(std::move(a));
        i = j;
    }
    return out;
}

} // namespace cairn::detect
