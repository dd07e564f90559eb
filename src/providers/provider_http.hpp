// The HTTP client a ReversingLabs provider talks through: its own timeout and CA bundle, the process's stop.
#pragma once

#include <chrono>
#include <filesystem>
#include <memory>
#include <stop_token>

#include "core/result.hpp"
#include "http/http_client.hpp"

namespace sb::providers {

core::Result<std::shared_ptr<http::HttpClient>> provider_http(std::chrono::milliseconds timeout,
                                                              std::filesystem::path ca_file, std::stop_token stop);

}  // namespace sb::providers
