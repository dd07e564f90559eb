// Request reading shared by the fake Azure servers: the bearer token and the media type, parsed one way for all.
#pragma once

#include <httplib.h>

#include <string>
#include <string_view>

namespace sb::test {

//! The token of an "Authorization: Bearer …" header ("Bearer" in any case, surrounding blanks dropped), "" when the
//! request has none.
std::string bearer_token(const httplib::Request& request);

//! The media type of a Content-Type value, lower case, without parameters or blanks
//! ("Application/JSON; charset=utf-8" → "application/json").
std::string media_type(std::string_view content_type);

//! `text` without leading and trailing blanks (space, tab, CR, LF).
std::string_view trim_blanks(std::string_view text);

}  // namespace sb::test
