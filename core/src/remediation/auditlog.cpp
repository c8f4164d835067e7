#include "cairn/remediation/auditlog.h"

#include "cairn/remediation/action.h"

#include "cairn/storage/workspace.h"
#include <nlohmann/json.hpp>

namespace cairn::remediation {

using nlohmann::json;

std::string computeEntryHash(const AuditEntry& e) {
    const json content{{"seq", e.seq},     {"time", e.time}, {"actionId", e.actionId},
                       {"actor", e.actor}, {"type", e.type}, {"payload", e.payload}};
    return sha256Hex(e.prevHash + "\n" + content.dump());
}

Result<void> MemoryAuditStore::append(const AuditEntry& entry) {
    m_entries.push_back(entry);
    return {};
}

Result<std::optional<AuditEntry>> MemoryAuditStore::last() const {
    if (m_entries.empty())
        return std::optional<AuditEntry>();
    return std::optional<AuditEntry>(m_entries.back());
}

Result<std::optional<std::pair<std::int64_t, std::string>>> MemoryAuditStore::head() const {
    // In memory the list is its own anchor.
    if (m_entries.empty())
        return std::optional<std::pair<std::int64_t, std::string>>();
    return std::optional(std::pair{m_entries.back().seq, m_entries.back().hash});
}

// ---- workspace (SQLite) ----

namespace {

const storage::RegisterMigrations kRemediationSchema{
    "remediation",
    {{1, "CREATE TABLE remediation_audit (seq INTEGER PRIMARY KEY, time_ms INTEGER NOT NULL,"
         " action_id TEXT NOT NULL, actor TEXT NOT NULL, type TEXT NOT NULL, payload TEXT NOT NULL,"
         " prev_hash TEXT NOT NULL, hash TEXT NOT NULL);"
         "CREATE INDEX remediation_audit_action ON remediation_audit(action_id, seq);"
         "CREATE TABLE remediation_audit_head (id INTEGER PRIMARY KEY CHECK (id = 1), seq INTEGER NOT NULL,"
         " hash TEXT NOT NULL);"
         "CREATE TRIGGER remediation_audit_no_update BEFORE UPDATE ON remediation_audit"
         " BEGIN SELECT RAISE(ABORT, 'the remediation audit log is append-only'); END;"
         "CREATE TRIGGER remediation_audit_no_delete BEFORE DELETE ON remediation_audit"
         " BEGIN SELECT RAISE(ABORT, 'the remediation audit log is append-only'); END;"}}};

constexpr const char* kColumns =
    "SELECT seq,time_ms,action_id,actor,type,payload,prev_hash,hash FROM remediation_audit";

} // namespace

WorkspaceAuditStore::WorkspaceAuditStore(std::shared_ptr<storage::Workspace> workspace)
    : m_workspace(std::move(workspace)) {}

Result<std::unique_ptr<WorkspaceAuditStore>> WorkspaceAuditStore::open(const std::string& path) {
    storage::OpenOptions options;
    options.path = path;
    auto ws = storage::Workspace::open(options);
    if (!ws)
        return std::unexpected(ws.error());
    return std::make_unique<WorkspaceAuditStore>(*ws);
}

Result<void> WorkspaceAuditStore::append(const AuditEntry& e) {
    return m_workspace->transaction([&]() -> Result<void> {
        auto ins = m_workspace->execute(
            "INSERT INTO remediation_audit(seq,time_ms,action_id,actor,type,payload,prev_hash,hash)"
            " VALUES(?,?,?,?,?,?,?,?)",
            e.seq, e.time, e.actionId, e.actor, e.type, e.payload, e.prevHash, e.hash);
        if (!ins)
            return std::unexpected(ins.error());
        auto head = m_workspace->execute(
            "INSERT OR REPLACE INTO remediation_audit_head(id,seq,hash) VALUES(1,?,?)", e.seq, e.hash);
        if (!head)
            return std::unexpected(head.error());
        return {};
    });
}

Result<std::vector<AuditEntry>> WorkspaceAuditStore::query(const char* sql) const {
    auto lock = m_workspace->lock();
    auto st = m_workspace->prepare(sql);
    if (!st)
        return std::unexpected(st.error());
    std::vector<AuditEntry> out;
    while (true) {
        auto row = st->step();
        if (!row)
            return std::unexpected(row.error());
        if (!*row)
            break;
        AuditEntry e;
        e.seq = st->int64(0);
        e.time = st->int64(1);
        e.actionId = st->text(2);
        e.actor = st->text(3);
        e.type = st->text(4);
        e.payload = st->text(5);
        e.prevHash = st->text(6);
        e.hash = st->text(7);
        out.push_back(std::move(e));
    }
    return out;
}

Result<std::vector<AuditEntry>> WorkspaceAuditStore::readAll() const {
    return query((std::string(kColumns) + " ORDER BY seq").c_str());
}

Result<std::optional<AuditEntry>> WorkspaceAuditStore::last() const {
    auto rows = query((std::string(kColumns) + " ORDER BY seq DESC LIMIT 1").c_str());
    if (!rows)
        return std::unexpected(rows.error());
    if (rows->empty())
        return std::optional<AuditEntry>();
    return std::optional<AuditEntry>(rows->front());
}

Result<std::optional<std::pair<std::int64_t, std::string>>> WorkspaceAuditStore::head() const {
    auto lock = m_workspace->lock();
    auto st = m_workspace->prepare("SELECT seq,hash FROM remediation_audit_head WHERE id=1");
    if (!st)
        return std::unexpected(st.error());
    auto row = st->step();
    if (!row)
        return std::unexpected(row.error());
    if (!*row)
        return std::optional<std::pair<std::int64_t, std::string>>();
    return std::optional(std::pair{st->int64(0), st->text(1)});
}

// ---- the log ----

Result<AuditEntry> AuditLog::append(TimeMs time, std::string actionId, std::string actor, std::string type,
                                    std::string payloadJson) {
    auto last = m_store.last();
    if (!last)
        return std::unexpected(last.error());
    AuditEntry e;
    e.seq = *last ? (*last)->seq + 1 : 1;
    e.prevHash = *last ? (*last)->hash : std::string(64, '0');
    e.time = time;
    e.actionId = std::move(actionId);
    e.actor = std::move(actor);
    e.type = std::move(type);
    e.payload = std::move(payloadJson);
    e.hash = computeEntryHash(e);
    if (auto r = m_store.append(e); !r)
        return std::unexpected(r.error());
    return e;
}

Result<VerifyReport> AuditLog::verify() const {
    auto all = m_store.readAll();
    if (!all)
        return std::unexpected(all.error());
    VerifyReport rep;
    rep.entries = static_cast<std::int64_t>(all->size());
    auto bad = [&](std::int64_t seq, std::string why) {
        rep.ok = false;
        rep.firstBadSeq = seq;
        rep.problem = std::move(why);
        return rep;
    };
    std::string prev(64, '0');
    std::int64_t expectSeq = 1;
    for (const auto& e : *all) {
        if (e.seq != expectSeq)
            return bad(expectSeq, e.seq > expectSeq
                                      ? "entry " + std::to_string(expectSeq) + " is missing (deleted)"
                                      : "entry " + std::to_string(e.seq) + " is out of order");
        if (e.prevHash != prev)
            return bad(e.seq,
                       "entry " + std::to_string(e.seq) +
                           " does not link to the previous entry (a row before it was changed or removed)");
        if (computeEntryHash(e) != e.hash)
            return bad(e.seq, "entry " + std::to_string(e.seq) + " was modified after it was written");
        prev = e.hash;
        ++expectSeq;
    }
    auto head = m_store.head();
    if (!head)
        return std::unexpected(head.error());
    if (*head) {
        const auto& [seq, hash] = **head;
        if (seq != expectSeq - 1)
            return bad(expectSeq, "the log ends at entry " + std::to_string(expectSeq - 1) + " but " +
                                      std::to_string(seq) + " were written (entries deleted at the end)");
        if (hash != prev)
            return bad(seq, "the last entry does not match the recorded head of the log");
    } else if (!all->empty()) {
        return bad(1, "the log's head record is missing");
    }
    return rep;
}

Result<std::int64_t> AuditLog::exportJsonLines(std::ostream& out) const {
    auto all = m_store.readAll();
    if (!all)
        return std::unexpected(all.error());
    for (const auto& e : *all) {
        json payload = json::parse(e.payload, nullptr, false);
        if (payload.is_discarded())
            payload = e.payload; // keep whatever is stored; verify() reports tampering separately
        json line{{"seq", e.seq},           {"time", formatIso(e.time)}, {"timeMs", e.time},
                  {"actionId", e.actionId}, {"actor", e.actor},          {"type", e.type},
                  {"payload", payload},     {"prevHash", e.prevHash},    {"hash", e.hash}};
        out << line.dump() << '\n';
    }
    if (!out)
        return fail(ErrorCode::Io, "writing the audit export failed");
    return static_cast<std::int64_t>(all->size());
}

} // namespace cairn::remediation
