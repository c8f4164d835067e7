#include "kubectlcommand.h"

#include "api/shellquote.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>

#include <map>

namespace cairn::plugins::kubectl {

namespace {

bool matches(const char* pattern, const QString& value) {
    const QRegularExpression re(QRegularExpression::anchoredPattern(QLatin1String(pattern)));
    return re.match(value).hasMatch();
}

// RFC 1123 subdomain (object names) and label (namespaces).
bool validName(const QString& v) {
    return v.size() <= 253 && matches("[a-z0-9]([-a-z0-9.]*[a-z0-9])?", v);
}
bool validNamespace(const QString& v) {
    return v.size() <= 63 && matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?", v);
}
bool validResources(const QString& v) {
    return v.size() <= 200 &&
           matches("(cpu|memory|ephemeral-storage)=[0-9]+(\\.[0-9]+)?(m|k|M|G|T|Ki|Mi|Gi|Ti)?"
                   "(,(cpu|memory|ephemeral-storage)=[0-9]+(\\.[0-9]+)?(m|k|M|G|T|Ki|Mi|Gi|Ti)?)*",
                   v);
}

bool onlyParameters(const QJsonObject& params, QStringList allowed, QString* error) {
    allowed << QStringLiteral("context") << QStringLiteral("namespace");
    for (auto it = params.begin(); it != params.end(); ++it) {
        if (!allowed.contains(it.key())) {
            *error = QStringLiteral("parameter \"%1\" is not accepted by this action").arg(it.key());
            return false;
        }
        if (!it.value().isString()) {
            *error = QStringLiteral("parameter \"%1\" must be a string").arg(it.key());
            return false;
        }
    }
    return true;
}

void flatten(const QJsonValue& v, const QString& path, std::map<QString, QString>& out) {
    static const QStringList ignored{
        QStringLiteral(".metadata.managedFields"),     QStringLiteral(".metadata.resourceVersion"),
        QStringLiteral(".metadata.generation"),        QStringLiteral(".metadata.uid"),
        QStringLiteral(".metadata.creationTimestamp"), QStringLiteral(".status")};
    if (ignored.contains(path))
        return;
    if (v.isObject()) {
        const QJsonObject o = v.toObject();
        for (auto it = o.begin(); it != o.end(); ++it)
            flatten(it.value(), path + QLatin1Char('.') + it.key(), out);
    } else if (v.isArray()) {
        const QJsonArray a = v.toArray();
        for (qsizetype i = 0; i < a.size(); ++i)
            flatten(a.at(i), path + QStringLiteral("[%1]").arg(i), out);
    } else {
        QJsonArray wrap{v};
        QByteArray text = QJsonDocument(wrap).toJson(QJsonDocument::Compact);
        out[path] = QString::fromUtf8(text.mid(1, text.size() - 2));
    }
}

} // namespace

QStringList baseArgs(const QJsonObject& action, const QJsonObject& config) {
    const QJsonObject params = action.value(QStringLiteral("parameters")).toObject();
    QStringList a;
    const QString kubeconfig = config.value(QStringLiteral("kubeconfig")).toString();
    if (!kubeconfig.isEmpty())
        a << QStringLiteral("--kubeconfig") << kubeconfig;
    const QString cacheDir = config.value(QStringLiteral("cacheDir")).toString();
    if (!cacheDir.isEmpty())
        a << QStringLiteral("--cache-dir") << cacheDir;
    a << QStringLiteral("--context") << params.value(QStringLiteral("context")).toString()
      << QStringLiteral("--namespace")
      << params.value(QStringLiteral("namespace")).toString(QStringLiteral("default"))
      << QStringLiteral("--request-timeout=%1s")
             .arg(std::clamp(config.value(QStringLiteral("requestTimeoutS")).toInt(30), 1, 600));
    return a;
}

QList<KubectlCall> buildCalls(const QJsonObject& action, const QJsonObject& config, bool dryRun,
                              const QString& nowIso, QString* error) {
    const QString kind = action.value(QStringLiteral("kind")).toString();
    const QJsonObject params = action.value(QStringLiteral("parameters")).toObject();
    const QString context = params.value(QStringLiteral("context")).toString();
    QStringList contexts;
    for (const auto& c : config.value(QStringLiteral("contexts")).toArray())
        contexts << c.toString();
    if (context.isEmpty() || !contexts.contains(context)) {
        *error = QStringLiteral("kubectl context \"%1\" is not on the allowlist").arg(context);
        return {};
    }
    const QString ns = params.value(QStringLiteral("namespace")).toString(QStringLiteral("default"));
    if (!validNamespace(ns)) {
        *error = QStringLiteral("namespace \"%1\" is not a valid Kubernetes namespace name").arg(ns);
        return {};
    }
    const QJsonArray targets = action.value(QStringLiteral("targets")).toArray();
    if (targets.isEmpty()) {
        *error = QStringLiteral("the action has no targets");
        return {};
    }
    QStringList verb;
    QString resource;
    bool diff = false;
    if (kind == QLatin1String("k8s.rollout-restart")) {
        // kubectl rollout restart has no --dry-run; it sends this same strategic merge patch, so the dry run
        // and the execution send exactly one request of the same shape.
        if (!onlyParameters(params, {}, error))
            return {};
        const QJsonObject patch{
            {QStringLiteral("spec"),
             QJsonObject{
                 {QStringLiteral("template"),
                  QJsonObject{{QStringLiteral("metadata"),
                               QJsonObject{{QStringLiteral("annotations"),
                                            QJsonObject{{QStringLiteral("kubectl.kubernetes.io/restartedAt"),
                                                         nowIso}}}}}}}}}};
        resource = QStringLiteral("deployment/");
        verb << QStringLiteral("patch") << QStringLiteral("{target}") << QStringLiteral("--type=strategic")
             << QStringLiteral("--field-manager=cairn")
             << QStringLiteral("--patch=") +
                    QString::fromUtf8(QJsonDocument(patch).toJson(QJsonDocument::Compact))
             << QStringLiteral("-o") << QStringLiteral("json");
        diff = true;
    } else if (kind == QLatin1String("k8s.scale")) {
        if (!onlyParameters(params, {QStringLiteral("replicas")}, error))
            return {};
        const QString r = params.value(QStringLiteral("replicas")).toString();
        const int maxReplicas = config.value(QStringLiteral("maxReplicas")).toInt(20);
        bool ok = false;
        const int n = r.toInt(&ok);
        if (!ok || !matches("[0-9]{1,6}", r) || n < 0 || n > maxReplicas) {
            *error = QStringLiteral("replicas must be a whole number from 0 to %1").arg(maxReplicas);
            return {};
        }
        resource = QStringLiteral("deployment/");
        verb << QStringLiteral("scale") << QStringLiteral("{target}")
             << QStringLiteral("--replicas=%1").arg(n);
    } else if (kind == QLatin1String("k8s.rollout-undo")) {
        if (!onlyParameters(params, {QStringLiteral("toRevision")}, error))
            return {};
        resource = QStringLiteral("deployment/");
        verb << QStringLiteral("rollout") << QStringLiteral("undo") << QStringLiteral("{target}");
        if (params.contains(QStringLiteral("toRevision"))) {
            const QString rev = params.value(QStringLiteral("toRevision")).toString();
            if (!matches("[1-9][0-9]{0,8}", rev)) {
                *error = QStringLiteral("toRevision must be a positive whole number");
                return {};
            }
            verb << QStringLiteral("--to-revision=") + rev;
        }
    } else if (kind == QLatin1String("k8s.cordon") || kind == QLatin1String("k8s.uncordon")) {
        if (!onlyParameters(params, {}, error))
            return {};
        verb << kind.mid(4) << QStringLiteral("{target}");
    } else if (kind == QLatin1String("k8s.delete-pod")) {
        if (!onlyParameters(params, {}, error))
            return {};
        if (targets.size() != 1) {
            *error = QStringLiteral("delete-pod deletes exactly one pod per action");
            return {};
        }
        resource = QStringLiteral("pod/");
        verb << QStringLiteral("delete") << QStringLiteral("{target}") << QStringLiteral("--wait=false");
    } else if (kind == QLatin1String("k8s.set-resources")) {
        if (!onlyParameters(
                params, {QStringLiteral("container"), QStringLiteral("limits"), QStringLiteral("requests")},
                error))
            return {};
        const QString container = params.value(QStringLiteral("container")).toString();
        const QString limits = params.value(QStringLiteral("limits")).toString();
        const QString requests = params.value(QStringLiteral("requests")).toString();
        if (!validName(container)) {
            *error = QStringLiteral("container \"%1\" is not a valid container name").arg(container);
            return {};
        }
        if (limits.isEmpty() && requests.isEmpty()) {
            *error = QStringLiteral("set-resources needs limits or requests");
            return {};
        }
        if ((!limits.isEmpty() && !validResources(limits)) ||
            (!requests.isEmpty() && !validResources(requests))) {
            *error = QStringLiteral("limits and requests look like cpu=200m,memory=512Mi");
            return {};
        }
        resource = QStringLiteral("deployment/");
        verb << QStringLiteral("set") << QStringLiteral("resources") << QStringLiteral("{target}")
             << QStringLiteral("-c") << container;
        if (!limits.isEmpty())
            verb << QStringLiteral("--limits=") + limits;
        if (!requests.isEmpty())
            verb << QStringLiteral("--requests=") + requests;
        verb << QStringLiteral("-o") << QStringLiteral("json");
        diff = true;
    } else {
        *error = QStringLiteral("the kubectl plugin does not handle action kind \"%1\"").arg(kind);
        return {};
    }

    QList<KubectlCall> calls;
    for (const auto& t : targets) {
        const QString name = t.toObject().value(QStringLiteral("name")).toString();
        if (!validName(name)) {
            *error = QStringLiteral("target \"%1\" is not a valid Kubernetes object name").arg(name);
            return {};
        }
        KubectlCall call;
        call.target = resource + name;
        call.argv = baseArgs(action, config);
        for (const QString& w : verb)
            call.argv << (w == QLatin1String("{target}") ? resource + name : w);
        if (dryRun)
            call.argv << QStringLiteral("--dry-run=server");
        call.display = QStringLiteral("kubectl ") + displayJoin(call.argv);
        if (diff)
            call.diffObject = resource + name;
        calls << call;
    }
    return calls;
}

QStringList jsonDiff(const QJsonObject& before, const QJsonObject& after) {
    std::map<QString, QString> a, b;
    flatten(before, QString(), a);
    flatten(after, QString(), b);
    QStringList out;
    for (const auto& [path, value] : a) {
        auto it = b.find(path);
        if (it == b.end())
            out << QStringLiteral("- %1: %2").arg(path.mid(1), value);
        else if (it->second != value)
            out << QStringLiteral("~ %1: %2 -> %3").arg(path.mid(1), value, it->second);
    }
    for (const auto& [path, value] : b)
        if (!a.count(path))
            out << QStringLiteral("+ %1: %2").arg(path.mid(1), value);
    return out;
}

} // namespace cairn::plugins::kubectl
