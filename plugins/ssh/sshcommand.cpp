#include "sshcommand.h"

#include "api/shellquote.h"

#include <QJsonArray>
#include <QRegularExpression>

namespace cairn::plugins::ssh {

namespace {

const QRegularExpression& hostRe() {
    static const QRegularExpression re(QStringLiteral("^[A-Za-z0-9_][A-Za-z0-9._-]{0,252}$"));
    return re;
}

bool fullMatch(const QString& pattern, const QString& value) {
    const QRegularExpression re(QRegularExpression::anchoredPattern(pattern));
    return re.isValid() && re.match(value).hasMatch();
}

QStringList toStringList(const QJsonValue& v) {
    QStringList out;
    for (const auto& x : v.toArray())
        out << x.toString();
    return out;
}

int timeoutSeconds(const QJsonObject& config) {
    const int ms = config.value(QStringLiteral("timeoutMs")).toInt(60000);
    return std::max(1, (ms + 999) / 1000);
}

// The wrapper every remote command runs in: report the process group so cancel can end it, and bound its
// run time on the remote side too (coreutils timeout), so a lost connection cannot leave it running forever.
QString wrap(const QStringList& argv, const QJsonObject& config) {
    return QStringLiteral("echo CAIRN-PID:$$; exec timeout -k 5 %1 %2")
        .arg(timeoutSeconds(config))
        .arg(shellJoin(argv));
}

QStringList privileged(const QStringList& argv, const QJsonObject& config) {
    if (config.value(QStringLiteral("sudo")).toBool())
        return QStringList{QStringLiteral("sudo"), QStringLiteral("-n"), QStringLiteral("--")} + argv;
    return argv;
}

QJsonObject defaultFreeDisk() {
    return QJsonObject{
        {QStringLiteral("journal"),
         QJsonArray{QStringLiteral("journalctl"), QStringLiteral("--vacuum-size=200M")}},
        {QStringLiteral("apt-cache"), QJsonArray{QStringLiteral("apt-get"), QStringLiteral("clean")}}};
}

QJsonArray defaultDiagnostics() {
    return QJsonArray{
        QJsonArray{QStringLiteral("uptime")}, QJsonArray{QStringLiteral("df"), QStringLiteral("-h")},
        QJsonArray{QStringLiteral("free"), QStringLiteral("-m")},
        QJsonArray{QStringLiteral("systemctl"), QStringLiteral("--failed"), QStringLiteral("--no-pager")}};
}

bool onlyParameters(const QJsonObject& params, const QStringList& allowed, QString* error) {
    for (auto it = params.begin(); it != params.end(); ++it) {
        if (!allowed.contains(it.key())) {
            *error = QStringLiteral("parameter \"%1\" is not accepted by this action").arg(it.key());
            return false;
        }
    }
    return true;
}

} // namespace

QStringList sshOptions(const QJsonObject& config, QString* error) {
    QStringList o;
    const QString strict =
        config.value(QStringLiteral("strictHostKeyChecking")).toString(QStringLiteral("yes"));
    if (strict != QLatin1String("yes") && strict != QLatin1String("accept-new")) {
        *error = QStringLiteral("strictHostKeyChecking must be \"yes\" or \"accept-new\"");
        return {};
    }
    const int connectTimeout = config.value(QStringLiteral("connectTimeoutS")).toInt(10);
    o << QStringLiteral("-o") << QStringLiteral("BatchMode=yes") << QStringLiteral("-o")
      << QStringLiteral("StrictHostKeyChecking=") + strict << QStringLiteral("-o")
      << QStringLiteral("ConnectTimeout=%1").arg(std::clamp(connectTimeout, 1, 300)) << QStringLiteral("-o")
      << QStringLiteral("ServerAliveInterval=5") << QStringLiteral("-o")
      << QStringLiteral("ServerAliveCountMax=2");
    if (config.contains(QStringLiteral("port"))) {
        const int port = config.value(QStringLiteral("port")).toInt(0);
        if (port < 1 || port > 65535) {
            *error = QStringLiteral("port must be between 1 and 65535");
            return {};
        }
        o << QStringLiteral("-p") << QString::number(port);
    }
    const QString user = config.value(QStringLiteral("user")).toString();
    if (!user.isEmpty()) {
        if (!isSafeWord(user)) {
            *error = QStringLiteral("the configured ssh user is not a plain name");
            return {};
        }
        o << QStringLiteral("-l") << user;
    }
    const QString identity = config.value(QStringLiteral("identityFile")).toString();
    if (!identity.isEmpty())
        o << QStringLiteral("-i") << identity << QStringLiteral("-o") << QStringLiteral("IdentitiesOnly=yes");
    const QString knownHosts = config.value(QStringLiteral("knownHostsFile")).toString();
    if (!knownHosts.isEmpty())
        o << QStringLiteral("-o") << QStringLiteral("UserKnownHostsFile=") + knownHosts;
    const QString sshConfig = config.value(QStringLiteral("sshConfigFile")).toString();
    if (!sshConfig.isEmpty())
        o << QStringLiteral("-F") << sshConfig;
    return o;
}

QStringList killArgv(const QJsonObject& config, const QString& host, qint64 pid) {
    QString error;
    QStringList argv = sshOptions(config, &error);
    const QString pg = QStringLiteral("-%1").arg(pid);
    argv << QStringLiteral("--") << host
         << QStringLiteral("kill -TERM -- %1 2>/dev/null; sleep 1; kill -KILL -- %1 2>/dev/null; true")
                .arg(pg);
    return argv;
}

QList<SshInvocation> buildInvocations(const QJsonObject& action, const QJsonObject& config, QString* error) {
    const QString kind = action.value(QStringLiteral("kind")).toString();
    const QJsonObject params = action.value(QStringLiteral("parameters")).toObject();
    // Every parameter value is a string in the action JSON; anything else is refused.
    for (auto it = params.begin(); it != params.end(); ++it) {
        if (!it.value().isString()) {
            *error = QStringLiteral("parameter \"%1\" must be a string").arg(it.key());
            return {};
        }
    }
    auto param = [&](const char* name) { return params.value(QLatin1String(name)).toString(); };

    QString remote;
    if (kind == QLatin1String("ssh.restart-unit")) {
        if (!onlyParameters(params, {QStringLiteral("unit")}, error))
            return {};
        const QString unit = param("unit");
        static const QRegularExpression unitRe(QStringLiteral(
            "^[A-Za-z0-9][A-Za-z0-9@:._-]{0,240}\\.(service|socket|timer|target|path|mount)$"));
        if (unit.isEmpty() || hasShellMetacharacters(unit) || !unitRe.match(unit).hasMatch()) {
            *error =
                QStringLiteral("unit \"%1\" is not a plain systemd unit name (like nginx.service)").arg(unit);
            return {};
        }
        const QString systemctl =
            config.value(QStringLiteral("systemctl")).toString(QStringLiteral("systemctl"));
        remote = wrap(privileged({systemctl, QStringLiteral("restart"), QStringLiteral("--"), unit}, config),
                      config);
    } else if (kind == QLatin1String("ssh.run-script")) {
        const QString name = param("script");
        const QJsonObject scripts = config.value(QStringLiteral("scripts")).toObject();
        if (!scripts.contains(name)) {
            *error = QStringLiteral("script \"%1\" is not on the allowlist").arg(name);
            return {};
        }
        const QJsonObject script = scripts.value(name).toObject();
        const QString path = script.value(QStringLiteral("path")).toString();
        if (!path.startsWith(QLatin1Char('/'))) {
            *error = QStringLiteral("allowlisted script \"%1\" needs an absolute path").arg(name);
            return {};
        }
        QStringList allowed{QStringLiteral("script")};
        QStringList argv{path};
        for (const auto& a : script.value(QStringLiteral("args")).toArray()) {
            const QJsonObject arg = a.toObject();
            const QString argName = arg.value(QStringLiteral("name")).toString();
            allowed << argName;
            if (!params.contains(argName)) {
                if (arg.value(QStringLiteral("required")).toBool(true)) {
                    *error = QStringLiteral("script \"%1\" needs argument \"%2\"").arg(name, argName);
                    return {};
                }
                continue;
            }
            const QString value = params.value(argName).toString();
            if (!arg.value(QStringLiteral("allowMetacharacters")).toBool(false) &&
                hasShellMetacharacters(value)) {
                *error = QStringLiteral(
                             "argument \"%1\" contains shell metacharacters, which this script does not "
                             "allow")
                             .arg(argName);
                return {};
            }
            if (value.startsWith(QLatin1Char('-')) &&
                !arg.value(QStringLiteral("allowLeadingDash")).toBool(false)) {
                *error = QStringLiteral(
                             "argument \"%1\" starts with '-', which could pass an option to the script")
                             .arg(argName);
                return {};
            }
            const QString pattern =
                arg.value(QStringLiteral("pattern")).toString(QStringLiteral("[A-Za-z0-9._-]{1,64}"));
            if (!fullMatch(pattern, value)) {
                *error = QStringLiteral("argument \"%1\" does not match %2").arg(argName, pattern);
                return {};
            }
            const QString flag = arg.value(QStringLiteral("flag")).toString();
            if (!flag.isEmpty())
                argv << flag;
            argv << value;
        }
        if (!onlyParameters(params, allowed, error))
            return {};
        remote = wrap(privileged(argv, config), config);
    } else if (kind == QLatin1String("ssh.free-disk")) {
        if (!onlyParameters(params, {QStringLiteral("command")}, error))
            return {};
        const QJsonObject commands = config.contains(QStringLiteral("freeDiskCommands"))
                                         ? config.value(QStringLiteral("freeDiskCommands")).toObject()
                                         : defaultFreeDisk();
        const QString name = param("command");
        if (!commands.contains(name)) {
            *error = QStringLiteral("free-disk command \"%1\" is not on the allowlist").arg(name);
            return {};
        }
        const QStringList argv = toStringList(commands.value(name));
        if (argv.isEmpty()) {
            *error = QStringLiteral("free-disk command \"%1\" is empty in the configuration").arg(name);
            return {};
        }
        remote = wrap(privileged(argv, config), config);
    } else if (kind == QLatin1String("ssh.diagnostics")) {
        if (!onlyParameters(params, {}, error))
            return {};
        const QJsonArray cmds = config.contains(QStringLiteral("diagnostics"))
                                    ? config.value(QStringLiteral("diagnostics")).toArray()
                                    : defaultDiagnostics();
        QStringList parts{QStringLiteral("echo CAIRN-PID:$$")};
        for (const auto& c : cmds) {
            const QStringList argv = toStringList(c);
            if (argv.isEmpty())
                continue;
            parts << QStringLiteral("echo %1").arg(
                         shellQuote(QStringLiteral("## ") + argv.join(QLatin1Char(' '))))
                  << QStringLiteral("timeout -k 5 %1 %2").arg(timeoutSeconds(config)).arg(shellJoin(argv));
        }
        remote = parts.join(QStringLiteral("; "));
    } else {
        *error = QStringLiteral("the SSH plugin does not handle action kind \"%1\"").arg(kind);
        return {};
    }

    QStringList options = sshOptions(config, error);
    if (options.isEmpty())
        return {};
    QList<SshInvocation> out;
    for (const auto& t : action.value(QStringLiteral("targets")).toArray()) {
        const QString host = t.toObject().value(QStringLiteral("name")).toString();
        if (!hostRe().match(host).hasMatch()) {
            *error = QStringLiteral("target \"%1\" is not a plain host name").arg(host);
            return {};
        }
        SshInvocation inv;
        inv.host = host;
        inv.remoteCommand = remote;
        inv.argv = options;
        inv.argv << QStringLiteral("--") << host << remote;
        inv.display = QStringLiteral("ssh ") + displayJoin(inv.argv);
        out << inv;
    }
    if (out.isEmpty())
        *error = QStringLiteral("the action has no targets");
    return out;
}

} // namespace cairn::plugins::ssh
