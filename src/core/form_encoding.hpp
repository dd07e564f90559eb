// application/x-www-form-urlencoded bodies and query strings (RFC 3986 unreserved characters kept, the rest %XX).
#pragma once

#include <string>
#include <string_view>

namespace sb::core {

//! Appends `text` percent-encoded: every byte but A–Z a–z 0–9 - . _ ~ becomes %XX.
void append_percent_encoded(std::string& out, std::string_view text);

//! Appends `key=value`, after a '&' unless `out` is empty.
void append_form_field(std::string& out, std::string_view key, std::string_view value);

}  // namespace sb::core
