// The tamper-evident remediation audit log. Entries are append-only and hash-chained: each stores the SHA-256
// of the previous entry's hash together with its own content, so editing, inserting or deleting a row breaks
// the chain at a place verify() reports. Storage is behind AuditStore (memory for tests, SQLite table
// `remediation_audit` in the workspace database). Times are UTC ms.
// Thread-safety: an AuditLog and its store are used from one thread at a time.
#pragma once

#include "cairn/common/error.h"
#include "cairn/common/time.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

namespace cairn::storage {
class Workspace;
}

namespace cairn::remediation {

struct AuditEntry {
    std::int64_t seq = 0; // 1, 2, 3 ... with no gaps
    TimeMs time = 0;
    std::string actionId;
    std::string actor;   // who caused the transition ("alice", "policy", "cairn")
    std::string type;    // command name: "propose", "dry-run", "approve", "execute-start" ...
    std::string payload; // JSON text of the command's data
    std::string prevHash;
    std::string hash; // sha256(prevHash + '\n' + canonical content)
};

// The hash an entry must carry given its content and prevHash.
std::string computeEntryHash(const AuditEntry& entry);

class AuditStore {
public:
    virtual ~AuditStore() = default;
    virtual Result<void> append(const AuditEntry& entry) = 0;
    virtual Result<std::vector<AuditEntry>> readAll() const = 0;
    // The last entry as recorded at append time (a separate anchor, so deleting the tail is detected).
    virtual Result<std::optional<AuditEntry>> last() const = 0;
    virtual Result<std::optional<std::pair<std::int64_t, std::string>>> head() const = 0;
};

class MemoryAuditStore final : public AuditStore {
public:
    Result<void> append(const AuditEntry& entry) override;
    Result<std::vector<AuditEntry>> readAll() const override { return m_entries; }
    Result<std::optional<AuditEntry>> last() const override;
    Result<std::optional<std::pair<std::int64_t, std::string>>> head() const override;
    std::vector<AuditEntry>& entriesForTesting() { return m_entries; }

private:
    std::vector<AuditEntry> m_entries;
};

// Tables remediation_audit and remediation_audit_head in the workspace database (migration area
// "remediation"). Triggers refuse UPDATE and DELETE through SQLite; someone editing the file by hand
// (dropping the triggers first) is caught by AuditLog::verify().
class WorkspaceAuditStore final : public AuditStore {
public:
    explicit WorkspaceAuditStore(std::shared_ptr<storage::Workspace> workspace);
    // Opens (creating and migrating) the workspace file at `path`, or the default workspace when empty.
    static Result<std::unique_ptr<WorkspaceAuditStore>> open(const std::string& path);

    Result<void> append(const AuditEntry& entry) override;
    Result<std::vector<AuditEntry>> readAll() const override;
    Result<std::optional<AuditEntry>> last() const override;
    Result<std::optional<std::pair<std::int64_t, std::string>>> head() const override;
    const std::shared_ptr<storage::Workspace>& workspace() const { return m_workspace; }

private:
    Result<std::vector<AuditEntry>> query(const char* sql) const;
    std::shared_ptr<storage::Workspace> m_workspace;
};

struct VerifyReport {
    bool ok = true;
    std::int64_t entries = 0;
    std::optional<std::int64_t> firstBadSeq; // where the chain breaks
    std::string problem;                     // one sentence
};

class AuditLog {
public:
    explicit AuditLog(AuditStore& store)
        : m_store(store) {}
    Result<AuditEntry> append(TimeMs time, std::string actionId, std::string actor, std::string type,
                              std::string payloadJson);
    Result<std::vector<AuditEntry>> entries() const { return m_store.readAll(); }
    Result<VerifyReport> verify() const;
    // One JSON object per line: seq, time (ISO), actionId, actor, type, payload (object), prevHash, hash.
    Result<std::int64_t> exportJsonLines(std::ostream& out) const;

private:
    AuditStore& m_store;
};

} // namespace cairn::remediation
