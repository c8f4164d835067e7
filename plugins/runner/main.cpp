// cairn-plugin-runner: loads one remediation plugin and performs one request (probe, dry-run or execute),
// so that a plugin that crashes, hangs or throws only ends this process, never Cairn.
// Protocol: one JSON object on stdin {"mode", "action", "config"}; JSON lines on stdout:
// {"event":"output","stream","text"} while running and one final
// {"event":"result","ok","command","output","error"}. SIGTERM asks the plugin to cancel (it stops its command
// and returns).
#include "api/remediationplugin.h"

#include <QCoreApplication>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QPluginLoader>

#include <atomic>
#include <csignal>
#include <cstdio>
#include <exception>

namespace {

std::atomic<bool> g_cancel{false};

extern "C" void onTerm(int) {
    g_cancel.store(true);
}

void emitLine(const QJsonObject& o) {
    const QByteArray line = QJsonDocument(o).toJson(QJsonDocument::Compact) + '\n';
    std::fwrite(line.constData(), 1, size_t(line.size()), stdout);
    std::fflush(stdout);
}

int result(bool ok, const QString& command, const QString& output, const QString& error) {
    emitLine({{QStringLiteral("event"), QStringLiteral("result")},
              {QStringLiteral("ok"), ok},
              {QStringLiteral("command"), command},
              {QStringLiteral("output"), output},
              {QStringLiteral("error"), error}});
    return ok ? 0 : 1;
}

} // namespace

int main(int argc, char** argv) {
    QCoreApplication app(argc, argv);
    std::signal(SIGTERM, onTerm);
    std::signal(SIGINT, onTerm);
    std::signal(SIGPIPE, SIG_IGN);

    const QStringList args = app.arguments();
    const qsizetype i = args.indexOf(QStringLiteral("--plugin"));
    if (i < 0 || i + 1 >= args.size())
        return result(false, {}, {},
                      QStringLiteral("usage: cairn-plugin-runner --plugin PATH < request.json"));
    const QString path = QFileInfo(args.at(i + 1)).absoluteFilePath();

    QFile in;
    if (!in.open(stdin, QIODevice::ReadOnly))
        return result(false, {}, {}, QStringLiteral("cannot read the request from stdin"));
    QJsonParseError perr;
    const QJsonDocument doc = QJsonDocument::fromJson(in.readAll(), &perr);
    if (perr.error != QJsonParseError::NoError || !doc.isObject())
        return result(false, {}, {},
                      QStringLiteral("the request is not a JSON object: ") + perr.errorString());
    const QJsonObject request = doc.object();
    const QString mode = request.value(QStringLiteral("mode")).toString();
    const QJsonObject action = request.value(QStringLiteral("action")).toObject();
    const QJsonObject config = request.value(QStringLiteral("config")).toObject();

    QPluginLoader loader(path);
    const QJsonObject meta = loader.metaData();
    if (meta.value(QStringLiteral("IID")).toString() != QLatin1String(CairnRemediationPlugin_iid))
        return result(false, {}, {}, QStringLiteral("%1 is not a Cairn remediation plugin").arg(path));
    auto* plugin = qobject_cast<cairn::plugins::RemediationPlugin*>(loader.instance());
    if (!plugin)
        return result(false, {}, {}, QStringLiteral("cannot load the plugin: ") + loader.errorString());
    try {
        QString error;
        if (!plugin->initialize(&error))
            return result(false, {}, {},
                          error.isEmpty() ? QStringLiteral("the plugin refused to initialise") : error);
        if (mode == QLatin1String("probe"))
            return result(true, {}, plugin->actionKinds().join(QLatin1Char(',')), {});
        const QString kind = action.value(QStringLiteral("kind")).toString();
        QStringList declared;
        for (const auto& k :
             meta.value(QStringLiteral("MetaData")).toObject().value(QStringLiteral("actionKinds")).toArray())
            declared << k.toString();
        if (!declared.contains(kind) || !plugin->actionKinds().contains(kind))
            return result(false, {}, {},
                          QStringLiteral("the plugin does not handle action kind \"%1\"").arg(kind));
        cairn::plugins::PluginResult r;
        if (mode == QLatin1String("dry-run")) {
            r = plugin->dryRun(action, config);
        } else if (mode == QLatin1String("execute")) {
            r = plugin->execute(
                action, config,
                [](const QString& stream, const QString& text) {
                    emitLine({{QStringLiteral("event"), QStringLiteral("output")},
                              {QStringLiteral("stream"), stream},
                              {QStringLiteral("text"), text}});
                },
                g_cancel);
        } else {
            return result(false, {}, {}, QStringLiteral("unknown mode \"%1\"").arg(mode));
        }
        return result(r.ok, r.command, r.output, r.error);
    } catch (const std::exception& e) {
        return result(false, {}, {},
                      QStringLiteral("the plugin threw an exception: ") + QString::fromUtf8(e.what()));
    } catch (...) {
        return result(false, {}, {}, QStringLiteral("the plugin threw an unknown exception"));
    }
}
