// Quoting and validation helpers for plugins that build command lines: POSIX single-quote quoting (so a
// value reaches the remote shell as one literal word) and detection of shell metacharacters.
// Thread-safety: pure functions.
#pragma once

#include <QString>
#include <QStringList>

namespace cairn::plugins {

// 'value' with embedded single quotes written as '\''. Always quotes, even plain words.
QString shellQuote(const QString& value);
// Quotes every word and joins them with spaces.
QString shellJoin(const QStringList& argv);
// Like shellJoin, but leaves words without metacharacters bare: for showing a command to a person.
QString displayJoin(const QStringList& argv);
// True when the value holds a character a POSIX shell treats specially, a control character or a newline.
bool hasShellMetacharacters(const QString& value);
// Plain words only: letters, digits and . _ - @ : / = , + (and not starting with '-').
bool isSafeWord(const QString& value);

} // namespace cairn::plugins
