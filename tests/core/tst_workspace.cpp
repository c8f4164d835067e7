// Tests for cairn/storage/workspace.h: location, opening rules, migrations, refusals that leave the
// file untouched, transactions, statements, and concurrent readers.
#include "cairn/storage/workspace.h"

#include <QCryptographicHash>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

#include <atomic>
#include <cstdlib>
#include <stdexcept>
#include <thread>

using namespace cairn;
using namespace cairn::storage;

namespace {

// Registered statically, as an area in core does it.
const RegisterMigrations kStaticArea{"tst_static",
                                     {{1, "CREATE TABLE tst_static_t(id INTEGER PRIMARY KEY, v TEXT)"}}};

QByteArray fileHash(const QString& path) {
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return QCryptographicHash::hash(f.readAll(), QCryptographicHash::Sha256);
}

Migration area(std::string name, int steps) {
    Migration m{std::move(name), {}, {}};
    for (int v = 1; v <= steps; ++v)
        m.steps.push_back(
            {v, "CREATE TABLE " + m.area + "_t" + std::to_string(v) + "(id INTEGER PRIMARY KEY)"});
    return m;
}

OpenOptions at(const QString& path, std::vector<Migration> migrations = {}) {
    OpenOptions o;
    o.path = path.toStdString();
    o.migrations = std::move(migrations);
    o.useRegistry = false;
    return o;
}

std::int64_t count(Connection& c, const std::string& table) {
    auto n = c.queryOne<std::int64_t>("SELECT count(*) FROM " + table);
    return n && *n ? **n : -1;
}

} // namespace

class TestWorkspace : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    QString file(const QString& name) const { return m_dir.filePath(name); }

private slots:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void defaultPathFollowsXdgDataHome() {
        const QByteArray oldXdg = qgetenv("XDG_DATA_HOME");
        qputenv("XDG_DATA_HOME", "/tmp/xdg-data");
        QCOMPARE(QString::fromStdString(defaultWorkspacePath()->string()),
                 QString("/tmp/xdg-data/cairn/workspace.db"));
        qputenv("XDG_DATA_HOME", "relative/ignored");
        const std::string home = std::getenv("HOME") ? std::getenv("HOME") : "";
        if (!home.empty())
            QCOMPARE(defaultWorkspacePath()->string(), home + "/.local/share/cairn/workspace.db");
        qunsetenv("XDG_DATA_HOME");
        if (!home.empty())
            QCOMPARE(defaultWorkspacePath()->string(), home + "/.local/share/cairn/workspace.db");
        qputenv("XDG_DATA_HOME", oldXdg);
    }

    void openDefaultCreatesFileInDataDirWithWalAndForeignKeys() {
        const QByteArray oldXdg = qgetenv("XDG_DATA_HOME");
        qputenv("XDG_DATA_HOME", m_dir.filePath("xdg").toUtf8());
        auto ws = Workspace::openDefault();
        qputenv("XDG_DATA_HOME", oldXdg);
        QVERIFY2(ws, ws ? "" : ws.error().what().c_str());
        QVERIFY(QFile::exists(m_dir.filePath("xdg/cairn/workspace.db")));
        QCOMPARE(*(*ws)->queryOne<std::string>("PRAGMA journal_mode"), std::optional<std::string>("wal"));
        QCOMPARE(*(*ws)->queryOne<int>("PRAGMA foreign_keys"), std::optional<int>(1));
        QVERIFY(**(*ws)->queryOne<int>("PRAGMA busy_timeout") > 0);
        // Statically registered areas are applied by a default open.
        QCOMPARE(*(*ws)->areaVersion("tst_static"), 1);
        QCOMPARE(count(**ws, "tst_static_t"), 0);
    }

    void foreignKeysAreEnforced() {
        auto ws = Workspace::open(
            at(file("fk.db"), {{"fk",
                                {{1, "CREATE TABLE fk_parent(id INTEGER PRIMARY KEY);"
                                     "CREATE TABLE fk_child(id INTEGER PRIMARY KEY,"
                                     " parent INTEGER NOT NULL REFERENCES fk_parent(id))"}}}}));
        QVERIFY(ws);
        auto bad = (*ws)->execute("INSERT INTO fk_child(parent) VALUES (?)", 42);
        QVERIFY(!bad);
        QVERIFY(bad.error().code == ErrorCode::Database);
        QVERIFY2(bad.error().message.find("FOREIGN KEY") != std::string::npos, bad.error().message.c_str());
    }

    void migrationsApplyOnceAndReopenIsIdempotent() {
        int codeRuns = 0;
        Migration m{"once",
                    {{1, "CREATE TABLE once_t(id INTEGER PRIMARY KEY, v TEXT NOT NULL)"},
                     {2, "INSERT INTO once_t(v) VALUES ('seeded')"},
                     {3, "", [&](Connection& c) -> Result<void> {
                          ++codeRuns;
                          if (auto r = c.execute("UPDATE once_t SET v = v || '+code'"); !r)
                              return std::unexpected(r.error());
                          return {};
                      }}}};
        const QString path = file("once.db");
        for (int round = 0; round < 3; ++round) {
            auto ws = Workspace::open(at(path, {m}));
            QVERIFY2(ws, ws ? "" : ws.error().what().c_str());
            QCOMPARE(*(*ws)->areaVersion("once"), 3);
            QCOMPARE(count(**ws, "once_t"), 1);
            QCOMPARE(*(*ws)->queryOne<std::string>("SELECT v FROM once_t"),
                     std::optional<std::string>("seeded+code"));
        }
        QCOMPARE(codeRuns, 1);
    }

    void reopenAppliesOnlyNewSteps() {
        const QString path = file("grow.db");
        {
            auto ws = Workspace::open(at(path, {area("grow", 1)}));
            QVERIFY(ws);
            QCOMPARE(*(*ws)->areaVersion("grow"), 1);
        }
        auto ws = Workspace::open(at(path, {area("grow", 3)}));
        QVERIFY2(ws, ws ? "" : ws.error().what().c_str());
        QCOMPARE(*(*ws)->areaVersion("grow"), 3);
        QCOMPARE(count(**ws, "grow_t3"), 0);
        QCOMPARE(*(*ws)->areaVersion("never_registered"), 0);
    }

    void secondOpenInProcessReturnsSameInstance() {
        const QString path = file("same.db");
        auto a = Workspace::open(at(path, {area("first", 1)}));
        QVERIFY(a);
        auto b = Workspace::open(at(path, {area("second", 2)}));
        QVERIFY2(b, b ? "" : b.error().what().c_str());
        QCOMPARE(a->get(), b->get());
        // The second caller's migrations were applied to the shared instance.
        QCOMPARE(*(*a)->areaVersion("second"), 2);
        QCOMPARE(*(*a)->areaVersion("first"), 1);
        // Another spelling of the same path is the same file.
        auto c = Workspace::open(at(m_dir.path() + "/./same.db"));
        QVERIFY(c);
        QCOMPARE(a->get(), c->get());
    }

    void applyMigrationsLaterForLateRegistrants() {
        auto ws = Workspace::open(at(file("late.db"), {area("early", 1)}));
        QVERIFY(ws);
        const std::vector<Migration> late{area("plugin_x", 2)};
        QVERIFY((*ws)->applyMigrations(late));
        QCOMPARE(*(*ws)->areaVersion("plugin_x"), 2);
        QVERIFY((*ws)->applyMigrations(late)); // idempotent
        QCOMPARE(*(*ws)->areaVersion("plugin_x"), 2);
    }

    void registeredMigrationsAreUsedByOpen() {
        registerMigrations(area("tst_registered", 2));
        OpenOptions o = at(file("registry.db"));
        o.useRegistry = true;
        auto ws = Workspace::open(o);
        QVERIFY2(ws, ws ? "" : ws.error().what().c_str());
        QCOMPARE(*(*ws)->areaVersion("tst_registered"), 2);
        QCOMPARE(*(*ws)->areaVersion("tst_static"), 1);
    }

    void refusesNewerVersionAndLeavesFileUnchanged() {
        const QString path = file("newer.db");
        {
            auto ws = Workspace::open(at(path, {area("detect", 5), area("other", 1)}));
            QVERIFY(ws);
        }
        const QByteArray before = fileHash(path);
        QVERIFY(!before.isEmpty());
        QVERIFY(!QFile::exists(path + "-wal")); // closed cleanly: everything is in the main file

        auto old = Workspace::open(at(path, {area("detect", 3), area("other", 1)}));
        QVERIFY(!old);
        QVERIFY(old.error().code == ErrorCode::VersionTooNew);
        QVERIFY2(old.error().message.find("detect") != std::string::npos, old.error().message.c_str());
        QVERIFY2(old.error().message.find("newer version of Cairn") != std::string::npos,
                 old.error().message.c_str());
        QCOMPARE(old.error().context, path.toStdString());
        QCOMPARE(fileHash(path), before);

        // An area this build does not know at all (added by a newer Cairn) is not a reason to refuse.
        auto partial = Workspace::open(at(path, {area("other", 1)}));
        QVERIFY2(partial, partial ? "" : partial.error().what().c_str());
        QCOMPARE(*(*partial)->areaVersion("detect"), 5);
    }

    void refusesDamagedFilesAndLeavesThemUnchanged_data() {
        QTest::addColumn<QByteArray>("content");
        QByteArray garbage;
        for (int i = 0; i < 8192; ++i)
            garbage.append(char((i * 7919 + 13) & 0xff));
        QTest::addRow("garbage") << garbage;
        QTest::addRow("text file") << QByteArray("this is not a workspace\n");
        QTest::addRow("short file") << QByteArray("SQLite");
        QTest::addRow("header then garbage") << (QByteArray("SQLite format 3", 16) + garbage);
    }
    void refusesDamagedFilesAndLeavesThemUnchanged() {
        QFETCH(QByteArray, content);
        const QString path = file(QString("damaged-%1.db").arg(QTest::currentDataTag()).replace(' ', '_'));
        {
            QFile f(path);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(content);
        }
        const QByteArray before = fileHash(path);
        auto ws = Workspace::open(at(path, {area("d", 1)}));
        QVERIFY(!ws);
        QVERIFY(ws.error().code == ErrorCode::Corrupt);
        QVERIFY2(ws.error().message.find("left untouched") != std::string::npos, ws.error().message.c_str());
        QCOMPARE(fileHash(path), before);
        QVERIFY(!QFile::exists(path + "-wal"));
    }

    void refusesDatabaseWithDamagedPages() {
        const QString path = file("pages.db");
        {
            auto ws = Workspace::open(at(path, {{"p",
                                                 {{1, "CREATE TABLE p_t(id INTEGER PRIMARY KEY, v TEXT);"
                                                      "CREATE INDEX p_t_v ON p_t(v)"}}}}));
            QVERIFY(ws);
            auto r = (*ws)->transaction([&]() -> Result<void> {
                for (int i = 0; i < 3000; ++i)
                    if (auto x = (*ws)->execute("INSERT INTO p_t(v) VALUES (?)", "row " + std::to_string(i));
                        !x)
                        return std::unexpected(x.error());
                return {};
            });
            QVERIFY(r);
        }
        {
            // Scribble over the middle pages, keeping the 100-byte header intact.
            QFile f(path);
            QVERIFY(f.open(QIODevice::ReadWrite));
            QVERIFY(f.size() > 8 * 4096);
            f.seek(4 * 4096);
            f.write(QByteArray(3 * 4096, char(0x5a)));
        }
        const QByteArray before = fileHash(path);
        auto ws = Workspace::open(at(path, {{"p",
                                             {{1, "CREATE TABLE p_t(id INTEGER PRIMARY KEY, v TEXT);"
                                                  "CREATE INDEX p_t_v ON p_t(v)"}}}}));
        QVERIFY(!ws);
        QVERIFY(ws.error().code == ErrorCode::Corrupt);
        QCOMPARE(fileHash(path), before);
    }

    void refusesOtherApplicationsDatabase() {
        const QString path = file("foreign.db");
        {
            auto ws = Workspace::open(at(path, {area("f", 1)}));
            QVERIFY(ws);
            QVERIFY((*ws)->exec("PRAGMA application_id = 1234"));
        }
        const QByteArray before = fileHash(path);
        auto ws = Workspace::open(at(path, {area("f", 1)}));
        QVERIFY(!ws);
        QVERIFY(ws.error().code == ErrorCode::Unsupported);
        QCOMPARE(fileHash(path), before);
    }

    void failingStepRollsBackAndReportsWhere() {
        const QString path = file("failstep.db");
        Migration bad{"fs",
                      {{1, "CREATE TABLE fs_a(id INTEGER PRIMARY KEY)"},
                       {2, "CREATE TABLE fs_b(id INTEGER PRIMARY KEY); CREATE TABLE fs_a(id INTEGER)"}}};
        auto ws = Workspace::open(at(path, {bad}));
        QVERIFY(!ws);
        QVERIFY2(ws.error().context.find("area fs, step 2") != std::string::npos, ws.error().context.c_str());
        QVERIFY2(ws.error().message.find("already exists") != std::string::npos, ws.error().message.c_str());
        // Step 1 committed, step 2 left nothing behind.
        bad.steps[1].sql = "CREATE TABLE fs_b(id INTEGER PRIMARY KEY)";
        auto fixed = Workspace::open(at(path, {bad}));
        QVERIFY2(fixed, fixed ? "" : fixed.error().what().c_str());
        QCOMPARE(*(*fixed)->areaVersion("fs"), 2);
    }

    void rejectsInvalidMigrations_data() {
        QTest::addColumn<int>("which");
        QTest::addRow("bad area name") << 0;
        QTest::addRow("no steps") << 1;
        QTest::addRow("decreasing versions") << 2;
        QTest::addRow("zero version") << 3;
        QTest::addRow("conflicting duplicate area") << 4;
        QTest::addRow("dependency cycle") << 5;
        QTest::addRow("empty step") << 6;
    }
    void rejectsInvalidMigrations() {
        QFETCH(int, which);
        std::vector<Migration> ms;
        switch (which) {
        case 0:
            ms = {area("Bad-Name", 1)};
            break;
        case 1:
            ms = {Migration{"empty", {}, {}}};
            break;
        case 2:
            ms = {Migration{"dec", {{2, "SELECT 1"}, {1, "SELECT 1"}}, {}}};
            break;
        case 3:
            ms = {Migration{"zero", {{0, "SELECT 1"}}, {}}};
            break;
        case 4:
            ms = {area("dup", 1), area("dup", 2)};
            break;
        case 5:
            ms = {Migration{"cyc_a", {{1, "SELECT 1"}}, {"cyc_b"}},
                  Migration{"cyc_b", {{1, "SELECT 1"}}, {"cyc_a"}}};
            break;
        case 6:
            ms = {Migration{"nothing", {{1, ""}}, {}}};
            break;
        }
        const QString path = file(QString("invalid-%1.db").arg(which));
        auto ws = Workspace::open(at(path, ms));
        QVERIFY(!ws);
        QVERIFY(ws.error().code == ErrorCode::InvalidArgument);
        QVERIFY(!QFile::exists(path)); // validated before the file is created
    }

    void identicalDuplicateRegistrationIsHarmless() {
        auto ws = Workspace::open(at(file("dupok.db"), {area("same", 2), area("same", 2)}));
        QVERIFY2(ws, ws ? "" : ws.error().what().c_str());
        QCOMPARE(*(*ws)->areaVersion("same"), 2);
    }

    void dependsOnAppliesParentAreaFirst() {
        // "a_child" sorts first by name but must wait for "z_parent", whose row it references.
        Migration child{"a_child",
                        {{1, "CREATE TABLE a_child_t(id INTEGER PRIMARY KEY,"
                             " parent INTEGER NOT NULL REFERENCES z_parent_t(id));"
                             "INSERT INTO a_child_t(parent) VALUES (1)"}},
                        {"z_parent"}};
        Migration parent{
            "z_parent",
            {{1, "CREATE TABLE z_parent_t(id INTEGER PRIMARY KEY); INSERT INTO z_parent_t(id) VALUES (1)"}},
            {}};
        auto ws = Workspace::open(at(file("deps.db"), {child, parent}));
        QVERIFY2(ws, ws ? "" : ws.error().what().c_str());
        QCOMPARE(count(**ws, "a_child_t"), 1);
    }

    void transactionCommitsValue() {
        auto ws = Workspace::open(
            at(file("tx.db"), {{"tx", {{1, "CREATE TABLE tx_t(id INTEGER PRIMARY KEY, v TEXT)"}}}}));
        QVERIFY(ws);
        auto id = (*ws)->transaction([&]() -> Result<std::int64_t> {
            if (!(*ws)->inTransaction())
                return fail(ErrorCode::Internal, "not in a transaction");
            return (*ws)->insert("INSERT INTO tx_t(v) VALUES (?)", "kept");
        });
        QVERIFY(id);
        QVERIFY(*id > 0);
        QVERIFY(!(*ws)->inTransaction());
        QCOMPARE(*(*ws)->queryOne<std::string>("SELECT v FROM tx_t WHERE id = ?", *id),
                 std::optional<std::string>("kept"));
    }

    void transactionRollsBackOnError() {
        auto ws = Workspace::open(at(file("tx.db")));
        QVERIFY(ws);
        const auto before = count(**ws, "tx_t");
        auto r = (*ws)->transaction([&]() -> Result<void> {
            if (auto x = (*ws)->execute("INSERT INTO tx_t(v) VALUES ('dropped')"); !x)
                return std::unexpected(x.error());
            return fail(ErrorCode::Cancelled, "caller gave up");
        });
        QVERIFY(!r);
        QVERIFY(r.error().code == ErrorCode::Cancelled);
        QCOMPARE(count(**ws, "tx_t"), before);

        // A failing SQL statement inside: its error comes back and earlier writes are undone.
        auto s = (*ws)->transaction([&]() -> Result<void> {
            if (auto x = (*ws)->execute("INSERT INTO tx_t(v) VALUES ('dropped too')"); !x)
                return std::unexpected(x.error());
            return (*ws)->exec("INSERT INTO no_such_table VALUES (1)");
        });
        QVERIFY(!s);
        QVERIFY2(s.error().message.find("no such table") != std::string::npos, s.error().message.c_str());
        QCOMPARE(count(**ws, "tx_t"), before);
        QVERIFY(!(*ws)->inTransaction());
    }

    void transactionRollsBackWhenFunctionThrows() {
        auto ws = Workspace::open(at(file("tx.db")));
        QVERIFY(ws);
        const auto before = count(**ws, "tx_t");
        bool thrown = false;
        try {
            (void)(*ws)->transaction([&]() -> Result<void> {
                (void)(*ws)->execute("INSERT INTO tx_t(v) VALUES ('dropped')");
                throw std::runtime_error("boom");
            });
        } catch (const std::runtime_error&) {
            thrown = true;
        }
        QVERIFY(thrown);
        QCOMPARE(count(**ws, "tx_t"), before);
        QVERIFY(!(*ws)->inTransaction());
        QVERIFY((*ws)->execute("INSERT INTO tx_t(v) VALUES ('after')")); // connection still usable
    }

    void nestedTransactionRollsBackOnlyInnerPart() {
        auto ws = Workspace::open(at(file("tx.db")));
        QVERIFY(ws);
        const auto before = count(**ws, "tx_t");
        auto r = (*ws)->transaction([&]() -> Result<void> {
            (void)(*ws)->execute("INSERT INTO tx_t(v) VALUES ('outer')");
            auto inner = (*ws)->transaction([&]() -> Result<void> {
                (void)(*ws)->execute("INSERT INTO tx_t(v) VALUES ('inner')");
                return fail(ErrorCode::InvalidArgument, "inner refused");
            });
            if (inner)
                return fail(ErrorCode::Internal, "inner should have failed");
            return {};
        });
        QVERIFY(r);
        QCOMPARE(count(**ws, "tx_t"), before + 1);
        QCOMPARE(*(*ws)->queryOne<std::int64_t>("SELECT count(*) FROM tx_t WHERE v = 'inner'"),
                 std::optional<std::int64_t>(0));
    }

    void statementBindsAndReadsEveryType() {
        auto ws = Workspace::open(
            at(file("types.db"),
               {{"ty", {{1, "CREATE TABLE ty_t(i INTEGER, r REAL, t TEXT, b BLOB, n INTEGER)"}}}}));
        QVERIFY(ws);
        const Blob blob{std::byte{0}, std::byte{1}, std::byte{0xff}};
        auto st = (*ws)->prepare("INSERT INTO ty_t(i, r, t, b, n) VALUES (?, ?, ?, ?, ?)");
        QVERIFY(st);
        st->bindAll(std::int64_t{1} << 40, 2.5, std::string("h\xc3\xa9llo\0x", 8), blob,
                    std::optional<int>{});
        QVERIFY(st->run());
        st->bindAll(true, 1.0f, "plain", Blob{}, std::optional<int>(7));
        QVERIFY(st->run());

        auto q = (*ws)->prepare("SELECT i, r, t, b, n FROM ty_t WHERE i = :i");
        QVERIFY(q);
        q->bind(":i", std::int64_t{1} << 40);
        QCOMPARE(q->columnCount(), 5);
        QCOMPARE(q->columnName(2), std::string("t"));
        QCOMPARE(*q->step(), true);
        QCOMPARE(q->get<std::int64_t>(0), std::int64_t{1} << 40);
        QCOMPARE(q->get<double>(1), 2.5);
        QCOMPARE(q->get<std::string>(2), std::string("h\xc3\xa9llo\0x", 8)); // embedded NUL survives
        QCOMPARE(q->get<Blob>(3), blob);
        QVERIFY(q->isNull(4));
        QCOMPARE(q->get<std::optional<int>>(4), std::optional<int>{});
        QCOMPARE(*q->step(), false);

        q->reset();
        q->bind(":i", 1);
        QCOMPARE(*q->step(), true);
        QCOMPARE(q->get<bool>(0), true);
        QCOMPARE(q->textView(2), std::string_view("plain"));
        QVERIFY(!q->isNull(3)); // an empty blob stays a blob, not NULL
        QCOMPARE(q->get<Blob>(3), Blob{});
        QCOMPARE(q->get<std::optional<int>>(4), std::optional<int>(7));
    }

    void statementReportsBindAndSqlErrors() {
        auto ws = Workspace::open(at(file("types.db")));
        QVERIFY(ws);
        auto st = (*ws)->prepare("SELECT ?");
        QVERIFY(st);
        st->bind(5, 1);
        auto r = st->step();
        QVERIFY(!r);
        QVERIFY(r.error().code == ErrorCode::InvalidArgument);
        QVERIFY2(r.error().context.find("SELECT ?") != std::string::npos, r.error().context.c_str());

        auto bad = (*ws)->prepare("SELEC 1");
        QVERIFY(!bad);
        QVERIFY2(bad.error().message.find("syntax error") != std::string::npos, bad.error().message.c_str());
        auto two = (*ws)->prepare("SELECT 1; SELECT 2");
        QVERIFY(!two);
        QVERIFY(two.error().code == ErrorCode::InvalidArgument);
        QVERIFY((*ws)->prepare("SELECT 1;  \n"));
        auto empty = (*ws)->prepare("  ");
        QVERIFY(!empty);
        auto constraint = (*ws)->exec(
            "CREATE TABLE ty_u(x UNIQUE); INSERT INTO ty_u VALUES (1); INSERT INTO ty_u VALUES (1)");
        QVERIFY(!constraint);
        QVERIFY2(constraint.error().message.find("UNIQUE") != std::string::npos,
                 constraint.error().message.c_str());
    }

    void readerIsReadOnly() {
        auto ws = Workspace::open(at(file("tx.db")));
        QVERIFY(ws);
        auto reader = (*ws)->openReader();
        QVERIFY2(reader, reader ? "" : reader.error().what().c_str());
        QVERIFY((*reader)->readOnly());
        QVERIFY(count(**reader, "tx_t") >= 0);
        auto w = (*reader)->execute("INSERT INTO tx_t(v) VALUES ('no')");
        QVERIFY(!w);
    }

    void concurrentReadsFromThreadsSeeWholeTransactions() {
        auto ws = Workspace::open(at(
            file("threads.db"), {{"th", {{1, "CREATE TABLE th_t(id INTEGER PRIMARY KEY, batch INTEGER)"}}}}));
        QVERIFY(ws);
        constexpr int kBatch = 10;
        constexpr int kBatches = 60;
        std::atomic<bool> writerDone{false};
        std::atomic<int> torn{0};
        std::atomic<int> failures{0};
        std::atomic<long> reads{0};

        std::thread writer([&] {
            for (int b = 0; b < kBatches; ++b) {
                auto r = (*ws)->transaction([&]() -> Result<void> {
                    for (int i = 0; i < kBatch; ++i)
                        if (auto x = (*ws)->execute("INSERT INTO th_t(batch) VALUES (?)", b); !x)
                            return std::unexpected(x.error());
                    return {};
                });
                if (!r)
                    ++failures;
            }
            writerDone = true;
        });
        // Half the readers have their own read-only connection, half share the workspace connection.
        std::vector<std::thread> readers;
        for (int t = 0; t < 4; ++t) {
            readers.emplace_back([&, t] {
                std::unique_ptr<Connection> own;
                if (t % 2 == 0) {
                    auto r = (*ws)->openReader();
                    if (!r) {
                        ++failures;
                        return;
                    }
                    own = std::move(*r);
                }
                Connection& c = own ? *own : static_cast<Connection&>(**ws);
                do {
                    auto n = c.queryOne<std::int64_t>("SELECT count(*) FROM th_t");
                    if (!n || !*n)
                        ++failures;
                    else if (**n % kBatch != 0)
                        ++torn;
                    ++reads;
                } while (!writerDone);
            });
        }
        writer.join();
        for (auto& r : readers)
            r.join();
        QCOMPARE(failures.load(), 0);
        QCOMPARE(torn.load(), 0);
        QVERIFY(reads.load() > 0);
        QCOMPARE(count(**ws, "th_t"), std::int64_t{kBatch * kBatches});
        QVERIFY((*ws)->checkIntegrity());
    }
};

QTEST_GUILESS_MAIN(TestWorkspace)
#include "tst_workspace.moc"
