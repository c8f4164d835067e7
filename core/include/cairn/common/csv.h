// CSV field quoting (RFC 4180), shared by every CSV writer in Cairn (cairn-cli output, the demo exporter,
// the wide series format): a field holding a comma, a double quote, CR or LF is wrapped in double
// quotes with the quotes inside doubled; any other field is written as is.
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <string_view>

namespace cairn {

// True when the field must be quoted to read back as one field.
bool csvNeedsQuoting(std::string_view field);
// Appends the field to out, quoted when it needs it.
void appendCsvField(std::string& out, std::string_view field);
// The field as CSV text, quoted when it needs it.
std::string csvField(std::string_view field);

} // namespace cairn
