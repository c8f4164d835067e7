// cairn_crash_writer: a helper for tst_crashsafety, not a test by itself. It writes to a workspace
// the way Cairn does (an anomaly, the user's feedback on it and a hash-chained audit entry per
// transaction, some transactions deliberately rolled back) and reports on stdout, unbuffered, every
// transaction whose commit returned success. The test SIGKILLs it at random moments and checks that
// everything it reported survived.
//
// Usage: cairn_crash_writer DB SEED [MAX_TRANSACTIONS]
// Output lines: "ready", "committed <anomaly id> <audit seq>", "rolledback <marker>".
#include "crashschema.h"

#include "cairn/storage/workspace.h"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>

using namespace cairn;
using namespace cairn::storage;

namespace {

void say(const std::string& line) {
    const std::string out = line + '\n';
    std::size_t done = 0;
    while (done < out.size()) {
        const ssize_t n = ::write(STDOUT_FILENO, out.data() + done, out.size() - done);
        if (n <= 0)
            std::_Exit(3);
        done += static_cast<std::size_t>(n);
    }
}

} // namespace

int main(int argc, char** argv) {
    if (argc < 3) {
        std::fprintf(stderr, "usage: cairn_crash_writer DB SEED [MAX_TRANSACTIONS]\n");
        return 2;
    }
    const std::string db = argv[1];
    const unsigned seed = static_cast<unsigned>(std::strtoul(argv[2], nullptr, 10));
    const long maxTx = argc > 3 ? std::strtol(argv[3], nullptr, 10) : 1'000'000;

    OpenOptions options;
    options.path = db;
    options.migrations = {crashtest::schema()};
    auto ws = Workspace::open(options); // registered core areas are migrated too: kills hit them as well
    if (!ws) {
        std::fprintf(stderr, "cairn_crash_writer: %s\n", ws.error().what().c_str());
        return 1;
    }
    say("ready");

    std::mt19937 rng(seed);
    for (long i = 0; i < maxTx; ++i) {
        const bool rollBack = rng() % 8 == 0;
        // Mostly small rows, sometimes a row larger than a page so overflow pages and WAL growth
        // (and automatic checkpoints) happen while the process may be killed.
        const std::size_t size = rng() % 16 == 0 ? 4096 + rng() % 8192 : 16 + rng() % 300;
        Blob payload(size);
        for (auto& b : payload)
            b = static_cast<std::byte>(rng());
        const std::string series = rollBack ? "rollback-" + std::to_string(seed) + "-" + std::to_string(i)
                                            : "series-" + std::to_string(seed % 7);
        const auto startMs = static_cast<std::int64_t>(1'700'000'000'000LL + i * 60'000LL);
        const double score = static_cast<double>(rng() % 1000) / 100.0;
        const int verdict = static_cast<int>(rng() % 3);

        auto r = (*ws)->transaction([&]() -> Result<std::pair<std::int64_t, std::int64_t>> {
            auto id = (*ws)->insert(
                "INSERT INTO crashtest_anomaly(series, start_ms, score, payload) VALUES (?,?,?,?)", series,
                startMs, score, payload);
            if (!id)
                return std::unexpected(id.error());
            if (auto f = (*ws)->execute("INSERT INTO crashtest_feedback(anomaly_id, verdict) VALUES (?, ?)",
                                        *id, verdict);
                !f)
                return std::unexpected(f.error());
            auto seq = crashtest::appendAudit(**ws, "anomaly=" + std::to_string(*id) + ";verdict=" +
                                                        std::to_string(verdict) + ";series=" + series);
            if (!seq)
                return std::unexpected(seq.error());
            if (rollBack)
                return fail(ErrorCode::Cancelled, "deliberate rollback");
            return std::pair{*id, *seq};
        });
        if (r) {
            say("committed " + std::to_string(r->first) + " " + std::to_string(r->second));
        } else if (rollBack && r.error().code == ErrorCode::Cancelled) {
            say("rolledback " + series);
        } else {
            std::fprintf(stderr, "cairn_crash_writer: %s\n", r.error().what().c_str());
            return 1;
        }
    }
    return 0;
}
