// Test helper: cairn::ErrorCode as a QString so QCOMPARE prints it ("network error").
// (QCOMPARE on the enum itself picks cairn::toString by ADL, which returns a string_view.)
#pragma once

#include "cairn/common/error.h"

#include <QString>

inline QString codeName(cairn::ErrorCode code) {
    const auto s = cairn::toString(code);
    return QString::fromUtf8(s.data(), static_cast<qsizetype>(s.size()));
}
#define QCOMPARE_CODE(actual, expected) QCOMPARE(codeName(actual), codeName(expected))
