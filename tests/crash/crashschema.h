// The schema and audit chain shared by cairn_crash_writer and tst_crashsafety (header-only, test code).
// The audit chain: each entry stores hash = FNV-1a-64(previous hash + "|" + detail), as hex, so a
// lost, reordered or half-written entry breaks verification.
#pragma once

#include "cairn/storage/workspace.h"

#include <cstdint>
#include <cstdio>
#include <string>

namespace crashtest {

inline cairn::storage::Migration schema() {
    return {
        "crashtest",
        {{1,
          "CREATE TABLE crashtest_anomaly(id INTEGER PRIMARY KEY, series TEXT NOT NULL,"
          " start_ms INTEGER NOT NULL, score REAL NOT NULL, payload BLOB NOT NULL);"
          "CREATE INDEX crashtest_anomaly_series ON crashtest_anomaly(series, start_ms);"
          "CREATE TABLE crashtest_feedback(id INTEGER PRIMARY KEY,"
          " anomaly_id INTEGER NOT NULL REFERENCES crashtest_anomaly(id), verdict INTEGER NOT NULL);"
          "CREATE TABLE crashtest_audit(seq INTEGER PRIMARY KEY, detail TEXT NOT NULL, hash TEXT NOT NULL)"}},
        {}};
}

inline std::string chainHash(const std::string& previous, const std::string& detail) {
    std::uint64_t h = 1469598103934665603ULL;
    auto mix = [&](const std::string& s) {
        for (unsigned char c : s) {
            h ^= c;
            h *= 1099511628211ULL;
        }
    };
    mix(previous);
    mix("|");
    mix(detail);
    char buf[17];
    std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
    return buf;
}

inline constexpr const char* kGenesis = "genesis";

// Appends one audit entry after the current last one; call inside a transaction.
inline cairn::Result<std::int64_t> appendAudit(cairn::storage::Connection& c, const std::string& detail) {
    auto last = c.prepare("SELECT seq, hash FROM crashtest_audit ORDER BY seq DESC LIMIT 1");
    if (!last)
        return std::unexpected(last.error());
    auto row = last->step();
    if (!row)
        return std::unexpected(row.error());
    const std::int64_t seq = *row ? last->int64(0) + 1 : 1;
    const std::string previous = *row ? last->text(1) : kGenesis;
    auto ins = c.execute("INSERT INTO crashtest_audit(seq, detail, hash) VALUES (?, ?, ?)", seq, detail,
                         chainHash(previous, detail));
    if (!ins)
        return std::unexpected(ins.error());
    return seq;
}

// Walks the whole chain; an error names the first entry that does not verify.
inline cairn::Result<std::int64_t> verifyAudit(cairn::storage::Connection& c) {
    auto st = c.prepare("SELECT seq, detail, hash FROM crashtest_audit ORDER BY seq");
    if (!st)
        return std::unexpected(st.error());
    std::string previous = kGenesis;
    std::int64_t expected = 1;
    while (true) {
        auto row = st->step();
        if (!row)
            return std::unexpected(row.error());
        if (!*row)
            break;
        if (st->int64(0) != expected)
            return cairn::fail(cairn::ErrorCode::Corrupt, "audit chain has a gap",
                               "seq " + std::to_string(expected));
        if (chainHash(previous, st->text(1)) != st->text(2))
            return cairn::fail(cairn::ErrorCode::Corrupt, "audit hash mismatch",
                               "seq " + std::to_string(expected));
        previous = st->text(2);
        ++expected;
    }
    return expected - 1;
}

} // namespace crashtest
