#include "cairn/remediation/auditlog.h"

#include "cairn/remediation/action.h"

#include <nlohmann/json.hpp>
#include <sqlite3.h>

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

// ---- SQLite ----

struct SqliteAuditStore::Impl {
    sqlite3* db = nullptr;
    std::string path;
};

namespace {

Result<void> exec(sqlite3* db, const char* sql, const std::string& path) {
    char* err = nullptr;
    if (sqlite3_exec(db, sql, nullptr, nullptr, &err) != SQLITE_OK) {
        std::string msg = err ? err : "unknown error";
        sqlite3_free(err);
        return fail(ErrorCode::Database, "audit log database statement failed: " + msg, path);
    }
    return {};
}

struct Stmt {
    sqlite3_stmt* s = nullptr;
    ~Stmt() { sqlite3_finalize(s); }
};

std::string text(sqlite3_stmt* s, int col) {
    const auto* p = sqlite3_column_text(s, col);
    return p ? reinterpret_cast<const char*>(p) : std::string();
}

} // namespace

Result<std::unique_ptr<SqliteAuditStore>> SqliteAuditStore::open(const std::string& path) {
    std::unique_ptr<SqliteAuditStore> store(new SqliteAuditStore);
    store->m_impl = new Impl;
    store->m_impl->path = path;
    if (sqlite3_open_v2(path.c_str(), &store->m_impl->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
                        nullptr) != SQLITE_OK)
        return fail(ErrorCode::Database,
                    std::string("cannot open the workspace database: ") + sqlite3_errmsg(store->m_impl->db),
                    path);
    sqlite3_busy_timeout(store->m_impl->db, 5000);
    static const char* schema = R"SQL(
CREATE TABLE IF NOT EXISTS remediation_audit (
  seq INTEGER PRIMARY KEY, time_ms INTEGER NOT NULL, action_id TEXT NOT NULL, actor TEXT NOT NULL,
  type TEXT NOT NULL, payload TEXT NOT NULL, prev_hash TEXT NOT NULL, hash TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS remediation_audit_head (
  id INTEGER PRIMARY KEY CHECK (id = 1), seq INTEGER NOT NULL, hash TEXT NOT NULL);
CREATE TRIGGER IF NOT EXISTS remediation_audit_no_update BEFORE UPDATE ON remediation_audit
  BEGIN SELECT RAISE(ABORT, 'the remediation audit log is append-only'); END;
CREATE TRIGGER IF NOT EXISTS remediation_audit_no_delete BEFORE DELETE ON remediation_audit
  BEGIN SELECT RAISE(ABORT, 'the remediation audit log is append-only'); END;
)SQL";
    if (auto r = exec(store->m_impl->db, schema, path); !r)
        return std::unexpected(r.error());
    return store;
}

SqliteAuditStore::~SqliteAuditStore() {
    if (m_impl) {
        sqlite3_close(m_impl->db);
        delete m_impl;
    }
}

Result<void> SqliteAuditStore::append(const AuditEntry& e) {
    sqlite3* db = m_impl->db;
    if (auto r = exec(db, "BEGIN IMMEDIATE", m_impl->path); !r)
        return r;
    Stmt ins;
    sqlite3_prepare_v2(
        db,
        "INSERT INTO remediation_audit(seq,time_ms,action_id,actor,type,payload,prev_hash,hash) "
        "VALUES(?,?,?,?,?,?,?,?)",
        -1, &ins.s, nullptr);
    sqlite3_bind_int64(ins.s, 1, e.seq);
    sqlite3_bind_int64(ins.s, 2, e.time);
    sqlite3_bind_text(ins.s, 3, e.actionId.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(ins.s, 4, e.actor.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(ins.s, 5, e.type.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(ins.s, 6, e.payload.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(ins.s, 7, e.prevHash.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(ins.s, 8, e.hash.c_str(), -1, SQLITE_TRANSIENT);
    Stmt head;
    sqlite3_prepare_v2(db, "INSERT OR REPLACE INTO remediation_audit_head(id,seq,hash) VALUES(1,?,?)", -1,
                       &head.s, nullptr);
    sqlite3_bind_int64(head.s, 1, e.seq);
    sqlite3_bind_text(head.s, 2, e.hash.c_str(), -1, SQLITE_TRANSIENT);
    if (sqlite3_step(ins.s) != SQLITE_DONE || sqlite3_step(head.s) != SQLITE_DONE) {
        std::string msg = sqlite3_errmsg(db);
        exec(db, "ROLLBACK", m_impl->path);
        return fail(ErrorCode::Database, "cannot append to the audit log: " + msg, m_impl->path);
    }
    return exec(db, "COMMIT", m_impl->path);
}

Result<std::vector<AuditEntry>> SqliteAuditStore::readAll() const {
    Stmt q;
    if (sqlite3_prepare_v2(
            m_impl->db,
            "SELECT seq,time_ms,action_id,actor,type,payload,prev_hash,hash FROM remediation_audit "
            "ORDER BY seq",
            -1, &q.s, nullptr) != SQLITE_OK)
        return fail(ErrorCode::Database,
                    std::string("cannot read the audit log: ") + sqlite3_errmsg(m_impl->db), m_impl->path);
    std::vector<AuditEntry> out;
    int rc;
    while ((rc = sqlite3_step(q.s)) == SQLITE_ROW) {
        AuditEntry e;
        e.seq = sqlite3_column_int64(q.s, 0);
        e.time = sqlite3_column_int64(q.s, 1);
        e.actionId = text(q.s, 2);
        e.actor = text(q.s, 3);
        e.type = text(q.s, 4);
        e.payload = text(q.s, 5);
        e.prevHash = text(q.s, 6);
        e.hash = text(q.s, 7);
        out.push_back(std::move(e));
    }
    if (rc != SQLITE_DONE)
        return fail(ErrorCode::Database,
                    std::string("cannot read the audit log: ") + sqlite3_errmsg(m_impl->db), m_impl->path);
    return out;
}

Result<std::optional<AuditEntry>> SqliteAuditStore::last() const {
    Stmt q;
    sqlite3_prepare_v2(
        m_impl->db,
        "SELECT seq,time_ms,action_id,actor,type,payload,prev_hash,hash FROM remediation_audit "
        "ORDER BY seq DESC LIMIT 1",
        -1, &q.s, nullptr);
    const int rc = sqlite3_step(q.s);
    if (rc == SQLITE_DONE)
        return std::optional<AuditEntry>();
    if (rc != SQLITE_ROW)
        return fail(ErrorCode::Database,
                    std::string("cannot read the audit log: ") + sqlite3_errmsg(m_impl->db), m_impl->path);
    AuditEntry e;
    e.seq = sqlite3_column_int64(q.s, 0);
    e.time = sqlite3_column_int64(q.s, 1);
    e.actionId = text(q.s, 2);
    e.actor = text(q.s, 3);
    e.type = text(q.s, 4);
    e.payload = text(q.s, 5);
    e.prevHash = text(q.s, 6);
    e.hash = text(q.s, 7);
    return std::optional(e);
}

Result<std::optional<std::pair<std::int64_t, std::string>>> SqliteAuditStore::head() const {
    Stmt q;
    sqlite3_prepare_v2(m_impl->db, "SELECT seq,hash FROM remediation_audit_head WHERE id=1", -1, &q.s,
                       nullptr);
    const int rc = sqlite3_step(q.s);
    if (rc == SQLITE_DONE)
        return std::optional<std::pair<std::int64_t, std::string>>();
    if (rc != SQLITE_ROW)
        return fail(ErrorCode::Database,
                    std::string("cannot read the audit head: ") + sqlite3_errmsg(m_impl->db), m_impl->path);
    return std::optional(std::pair{static_cast<std::int64_t>(sqlite3_column_int64(q.s, 0)), text(q.s, 1)});
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
