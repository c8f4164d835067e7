// Tests for the kubectl plugin: the real kubectl binary, driven through cairn-plugin-runner and
// PluginExecutor, against a loopback server standing in for a Kubernetes API server (it replays the real
// responses in
// ../shared/data/api-samples/kubernetes and records every request). Asserts the exact requests: paths, verbs,
// patch bodies, dryRun=All on every mutating dry-run request (timeout=30s is the plugin's --request-timeout),
// and that refused actions send nothing. Passes with Debian 12's kubectl 1.20 (package kubernetes-client,
// what CI installs) and with newer ones: the requests are the same; 1.20 also downloads /openapi/v2 before
// each server dry run to check the kind supports dry runs, which the replay server answers (kubereplay.h).
#include "api/pluginexecutor.h"
#include "api/pluginhost.h"
#include "kubereplay.h"

#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

using namespace cairn;
using namespace cairn::plugins;
using namespace cairn::remediation;

namespace {

const QString kData = QStringLiteral(CAIRN_SHARED_DATA_DIR "/api-samples/kubernetes");

Action k8s(const char* kind, const std::string& target, std::map<std::string, std::string> params,
           const std::string& ns = "edit-test") {
    Action a;
    a.id = std::string("k8s-") + kind;
    a.kind = kind;
    a.targets.push_back(Target{target, "nginx", "test"});
    a.parameters = std::move(params);
    a.parameters["context"] = "replay";
    a.parameters["namespace"] = ns;
    return a;
}

bool isMutating(const KubeReplayServer::Request& r) {
    return r.verb != QLatin1String("GET");
}

} // namespace

class TestKubectlPlugin : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    std::unique_ptr<KubeReplayServer> m_server;
    PluginHost m_host;
    QJsonObject m_config;
    QString m_node, m_pod, m_podNs;

    PluginExecutor executor() {
        return PluginExecutor(m_host, QStringLiteral(CAIRN_BINARY_DIR "/bin/cairn-plugin-runner"),
                              QJsonObject{{"kubectl", m_config}}, 120000);
    }

    QList<KubeReplayServer::Request> mutating() {
        QList<KubeReplayServer::Request> out;
        for (const auto& r : m_server->objectRequests())
            if (isMutating(r))
                out << r;
        return out;
    }

private slots:
    void initTestCase() {
        if (!QFile::exists(kData + QStringLiteral("/api.json")))
            QSKIP("../shared/data/api-samples/kubernetes is not present");
        if (QStandardPaths::findExecutable(QStringLiteral("kubectl")).isEmpty())
            QSKIP("kubectl is not installed");
        m_server = std::make_unique<KubeReplayServer>(kData);
        QVERIFY(m_server->start());
        QFile kc(m_dir.filePath(QStringLiteral("kubeconfig")));
        QVERIFY(kc.open(QIODevice::WriteOnly));
        kc.write(QStringLiteral(
                     "apiVersion: v1\nkind: Config\nclusters:\n- cluster: {server: \"http://127.0.0.1:%1\"}\n"
                     "  name: replay\ncontexts:\n- context: {cluster: replay, user: tester}\n  name: replay\n"
                     "- context: {cluster: replay, user: tester}\n  name: production\n"
                     "users:\n- name: tester\n  user: {token: not-a-secret}\ncurrent-context: production\n")
                     .arg(m_server->port())
                     .toUtf8());
        kc.close();
        m_config = QJsonObject{{"kubeconfig", kc.fileName()},
                               {"cacheDir", m_dir.filePath(QStringLiteral("cache"))},
                               {"contexts", QJsonArray{"replay"}},
                               {"maxReplicas", 10},
                               {"timeoutMs", 60000}};
        m_host.discover({QStringLiteral(CAIRN_BINARY_DIR "/plugins")});
        QVERIFY(m_host.specForKind(QStringLiteral("k8s.scale")));
        m_node = m_server->sample(QStringLiteral("node_v1.json"))["metadata"].toObject()["name"].toString();
        m_pod = m_server->sample(QStringLiteral("pod_v1.json"))["metadata"].toObject()["name"].toString();
        m_podNs =
            m_server->sample(QStringLiteral("pod_v1.json"))["metadata"].toObject()["namespace"].toString();
    }
    void cleanupTestCase() {
        if (m_server)
            m_server->stop();
    }
    void init() {
        if (m_server)
            m_server->clear();
    }

    void scaleDryRunSendsOneServerDryRunPatch() {
        auto ex = executor();
        auto r = ex.dryRun(k8s("k8s.scale", "nginx", {{"replicas", "5"}}), {});
        QVERIFY2(r && r->ok, r ? r->error.c_str() : r.error().what().c_str());
        QCOMPARE(QString::fromStdString(r->command).section(QLatin1Char(' '), 0, 0),
                 QStringLiteral("kubectl"));
        QVERIFY(QString::fromStdString(r->command).contains("--context replay --namespace edit-test"));
        QVERIFY(QString::fromStdString(r->command)
                    .endsWith("scale deployment/nginx --replicas=5 --dry-run=server"));
        const auto m = mutating();
        QCOMPARE(m.size(), 1);
        QCOMPARE(m[0].verb, QStringLiteral("PATCH"));
        QCOMPARE(m[0].target,
                 QStringLiteral(
                     "/apis/apps/v1/namespaces/edit-test/deployments/nginx/scale?dryRun=All&timeout=30s"));
        QCOMPARE(m[0].contentType, QStringLiteral("application/merge-patch+json"));
        QCOMPARE(m[0].body, QByteArray(R"({"spec":{"replicas":5}})"));
    }
    void scaleExecutesWithoutDryRun() {
        auto ex = executor();
        auto r = ex.execute(k8s("k8s.scale", "nginx", {{"replicas", "3"}}), {}, {});
        QVERIFY2(r && r->ok, r ? r->error.c_str() : r.error().what().c_str());
        const auto m = mutating();
        QCOMPARE(m.size(), 1);
        QCOMPARE(m[0].target,
                 QStringLiteral("/apis/apps/v1/namespaces/edit-test/deployments/nginx/scale?timeout=30s"));
        QCOMPARE(m[0].body, QByteArray(R"({"spec":{"replicas":3}})"));
    }
    void rolloutRestartDryRunShowsDiff() {
        auto ex = executor();
        auto r = ex.dryRun(k8s("k8s.rollout-restart", "nginx", {}), {});
        QVERIFY2(r && r->ok, r ? r->error.c_str() : r.error().what().c_str());
        const auto m = mutating();
        QCOMPARE(m.size(), 1);
        QCOMPARE(m[0].verb, QStringLiteral("PATCH"));
        QCOMPARE(m[0].target, QStringLiteral("/apis/apps/v1/namespaces/edit-test/deployments/"
                                             "nginx?dryRun=All&fieldManager=cairn&timeout=30s"));
        QCOMPARE(m[0].contentType, QStringLiteral("application/strategic-merge-patch+json"));
        static const QRegularExpression body(QStringLiteral(
            R"(^\{"spec":\{"template":\{"metadata":\{"annotations":\{"kubectl.kubernetes.io/restartedAt":"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ"\}\}\}\}\}$)"));
        QVERIFY2(body.match(QString::fromUtf8(m[0].body)).hasMatch(), m[0].body.constData());
        const QString out = QString::fromStdString(r->output);
        QVERIFY2(out.contains("+ spec.template.metadata.annotations.kubectl.kubernetes.io/restartedAt:"),
                 qPrintable(out));
    }
    void setResourcesDryRunPatchesTheContainer() {
        auto ex = executor();
        auto r = ex.dryRun(
            k8s("k8s.set-resources", "nginx", {{"container", "nginx"}, {"limits", "cpu=200m,memory=512Mi"}}),
            {});
        QVERIFY2(r && r->ok, r ? r->error.c_str() : r.error().what().c_str());
        const auto m = mutating();
        QCOMPARE(m.size(), 1);
        QCOMPARE(m[0].target, QStringLiteral("/apis/apps/v1/namespaces/edit-test/deployments/"
                                             "nginx?dryRun=All&fieldManager=kubectl-set&timeout=30s"));
        const QJsonObject patch = QJsonDocument::fromJson(m[0].body).object();
        const QJsonObject c = patch["spec"]["template"]["spec"]["containers"][0].toObject();
        QCOMPARE(c["name"].toString(), QStringLiteral("nginx"));
        QCOMPARE(c["resources"]["limits"]["cpu"].toString(), QStringLiteral("200m"));
        QCOMPARE(c["resources"]["limits"]["memory"].toString(), QStringLiteral("512Mi"));
    }
    void cordonDryRunPatchesTheNode() {
        auto ex = executor();
        auto r = ex.dryRun(k8s("k8s.cordon", m_node.toStdString(), {}), {});
        QVERIFY2(r && r->ok, r ? r->error.c_str() : r.error().what().c_str());
        const auto m = mutating();
        QCOMPARE(m.size(), 1);
        QCOMPARE(m[0].target, QStringLiteral("/api/v1/nodes/%1?dryRun=All&timeout=30s").arg(m_node));
        QCOMPARE(m[0].contentType, QStringLiteral("application/strategic-merge-patch+json"));
        QCOMPARE(m[0].body, QByteArray(R"({"spec":{"unschedulable":true}})"));
    }
    void uncordonOfSchedulableNodeChangesNothing() {
        auto ex = executor();
        auto r = ex.execute(k8s("k8s.uncordon", m_node.toStdString(), {}), {}, {});
        QVERIFY2(r && r->ok, r ? r->error.c_str() : r.error().what().c_str());
        QVERIFY(mutating().isEmpty()); // the recorded node is schedulable: kubectl sends no patch
        bool got = false;
        for (const auto& q : m_server->objectRequests())
            got = got ||
                  (q.verb == QLatin1String("GET") && q.path() == QStringLiteral("/api/v1/nodes/") + m_node);
        QVERIFY(got);
    }
    void deletePodDryRunSendsDryRunBody() {
        auto ex = executor();
        auto r = ex.dryRun(k8s("k8s.delete-pod", m_pod.toStdString(), {}, m_podNs.toStdString()), {});
        QVERIFY2(r && r->ok, r ? r->error.c_str() : r.error().what().c_str());
        const auto m = mutating();
        QCOMPARE(m.size(), 1);
        QCOMPARE(m[0].verb, QStringLiteral("DELETE"));
        QCOMPARE(m[0].target,
                 QStringLiteral("/api/v1/namespaces/%1/pods/%2?timeout=30s").arg(m_podNs, m_pod));
        const QJsonObject body = QJsonDocument::fromJson(m[0].body).object();
        QCOMPARE(body["dryRun"].toArray(), QJsonArray{"All"});
        QCOMPARE(body["propagationPolicy"].toString(), QStringLiteral("Background"));
    }
    void rolloutUndoWithoutHistoryFailsClearly() {
        auto ex = executor();
        auto r = ex.dryRun(k8s("k8s.rollout-undo", "nginx", {}), {});
        QVERIFY(r.has_value());
        QVERIFY(!r->ok);
        QVERIFY2(QString::fromStdString(r->error).contains("no rollout history found"), r->error.c_str());
        bool listed = false;
        for (const auto& q : m_server->objectRequests())
            listed =
                listed ||
                q.target ==
                    QLatin1String("/apis/apps/v1/namespaces/edit-test/replicasets?labelSelector=app%3Dnginx");
        QVERIFY(listed);
        QVERIFY(mutating().isEmpty());
    }
    void refusesWithoutSendingAnything_data() {
        QTest::addColumn<QString>("caseName");
        QTest::addColumn<QString>("errorPart");
        QTest::addRow("context not allowlisted") << "context"
                                                 << "not on the allowlist";
        QTest::addRow("replicas above bound") << "replicas"
                                              << "from 0 to 10";
        QTest::addRow("namespace injection") << "namespace"
                                             << "not a valid Kubernetes namespace";
        QTest::addRow("target with flag") << "target"
                                          << "not a valid Kubernetes object name";
        QTest::addRow("resources with shell") << "resources"
                                              << "look like";
        QTest::addRow("two pods at once") << "pods"
                                          << "exactly one pod";
        QTest::addRow("unknown parameter") << "param"
                                           << "not accepted";
        // Injection attempts in every free-text place: kubectl gets an argv (no shell), and the plugin still
        // refuses values that are not plain Kubernetes names or numbers before anything runs.
        QTest::addRow("target semicolon") << "target:nginx; rm -rf /"
                                          << "not a valid Kubernetes object name";
        QTest::addRow("target command substitution") << "target:$(touch /tmp/pwned)"
                                                     << "not a valid Kubernetes object name";
        QTest::addRow("target backticks") << "target:`touch /tmp/pwned`"
                                          << "not a valid Kubernetes object name";
        QTest::addRow("target newline") << "target:nginx\nkubectl delete ns default"
                                        << "not a valid Kubernetes object name";
        QTest::addRow("namespace semicolon") << "namespace:edit-test; rm -rf /"
                                             << "not a valid Kubernetes namespace";
        QTest::addRow("replicas substitution") << "replicas:$(echo 3)"
                                               << "replicas";
    }
    void refusesWithoutSendingAnything() {
        QFETCH(QString, caseName);
        QFETCH(QString, errorPart);
        Action a = k8s("k8s.scale", "nginx", {{"replicas", "2"}});
        if (caseName == "context")
            a.parameters["context"] = "production";
        else if (caseName == "replicas")
            a.parameters["replicas"] = "11";
        else if (caseName == "namespace")
            a.parameters["namespace"] = "edit-test --all-namespaces";
        else if (caseName == "target")
            a.targets[0].name = "--all";
        else if (caseName.startsWith("target:"))
            a.targets[0].name = caseName.mid(7).toStdString();
        else if (caseName.startsWith("namespace:"))
            a.parameters["namespace"] = caseName.mid(10).toStdString();
        else if (caseName.startsWith("replicas:"))
            a.parameters["replicas"] = caseName.mid(9).toStdString();
        else if (caseName == "resources")
            a = k8s("k8s.set-resources", "nginx", {{"container", "nginx"}, {"limits", "cpu=1;$(reboot)"}});
        else if (caseName == "pods") {
            a = k8s("k8s.delete-pod", "a", {});
            a.targets.push_back(Target{"b", "x", "test"});
        } else if (caseName == "param")
            a.parameters["force"] = "true";
        auto ex = executor();
        auto dry = ex.dryRun(a, {});
        QVERIFY(dry.has_value());
        QVERIFY(!dry->ok);
        QVERIFY2(QString::fromStdString(dry->error).contains(errorPart), dry->error.c_str());
        auto run = ex.execute(a, {}, {});
        QVERIFY(run.has_value() && !run->ok);
        QVERIFY(m_server->requests().isEmpty()); // kubectl never ran
    }
};

QTEST_GUILESS_MAIN(TestKubectlPlugin)
#include "tst_kubectlplugin.moc"
