#include "shellquote.h"

#include <QRegularExpression>

namespace cairn::plugins {

QString shellQuote(const QString& value) {
    QString out = QStringLiteral("'");
    for (QChar c : value) {
        if (c == QLatin1Char('\''))
            out += QStringLiteral("'\\''");
        else
            out += c;
    }
    out += QLatin1Char('\'');
    return out;
}

QString shellJoin(const QStringList& argv) {
    QStringList quoted;
    for (const QString& a : argv)
        quoted << shellQuote(a);
    return quoted.join(QLatin1Char(' '));
}

QString displayJoin(const QStringList& argv) {
    QStringList words;
    for (const QString& a : argv)
        words << (a.isEmpty() || hasShellMetacharacters(a) ? shellQuote(a) : a);
    return words.join(QLatin1Char(' '));
}

bool hasShellMetacharacters(const QString& value) {
    static const QString special = QStringLiteral("|&;<>()$`\\\"' \t\n\r*?[]#~!{}^");
    for (QChar c : value) {
        if (c.unicode() < 0x20 || c.unicode() == 0x7f || special.contains(c))
            return true;
    }
    return false;
}

bool isSafeWord(const QString& value) {
    static const QRegularExpression re(QStringLiteral("^[A-Za-z0-9._@:/=,+][A-Za-z0-9._@:/=,+-]*$"));
    return re.match(value).hasMatch();
}

} // namespace cairn::plugins
