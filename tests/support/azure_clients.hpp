// Production Azure plumbing pointed at the fakes: a token provider for FakeEntra's app, and an HTTP client whose
// retries do not slow tests down.
#pragma once

#include <chrono>
#include <memory>

#include "azure/access_token.hpp"
#include "http/http_client.hpp"
#include "support/fake_entra.hpp"

namespace sb::test {

//! The client-secret credential of FakeEntra's app, behind the token cache.
std::shared_ptr<azure::TokenProvider> client_secret_tokens(const FakeEntra& entra);

//! A libcurl client with millisecond retry backoff (Retry-After is still honoured).
std::shared_ptr<http::HttpClient> fast_http_client(std::chrono::milliseconds timeout = std::chrono::seconds(60));

}  // namespace sb::test
