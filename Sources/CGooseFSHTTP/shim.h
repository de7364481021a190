// The C surface the object-store adapter needs from libcurl and OpenSSL (libcrypto), behind one
// module so the two libraries' system headers are imported once. Shims exist only for what Swift
// cannot call directly: curl's variadic setopt/getinfo functions.
#ifndef GOOSEFS_HTTP_SHIM_H
#define GOOSEFS_HTTP_SHIM_H

#include <curl/curl.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>

static inline CURLcode goosefs_curl_setopt_long(CURL *handle, CURLoption option, long value) {
  return curl_easy_setopt(handle, option, value);
}

static inline CURLcode goosefs_curl_setopt_offset(CURL *handle, CURLoption option, curl_off_t value) {
  return curl_easy_setopt(handle, option, value);
}

static inline CURLcode goosefs_curl_setopt_string(CURL *handle, CURLoption option, const char *value) {
  return curl_easy_setopt(handle, option, value);
}

static inline CURLcode goosefs_curl_setopt_pointer(CURL *handle, CURLoption option, void *value) {
  return curl_easy_setopt(handle, option, value);
}

static inline CURLcode goosefs_curl_setopt_slist(CURL *handle, CURLoption option, struct curl_slist *value) {
  return curl_easy_setopt(handle, option, value);
}

typedef size_t (*goosefs_curl_data_callback)(char *data, size_t size, size_t count, void *context);

static inline CURLcode goosefs_curl_setopt_data_callback(CURL *handle, CURLoption option, goosefs_curl_data_callback callback) {
  return curl_easy_setopt(handle, option, callback);
}

static inline CURLcode goosefs_curl_setopt_seek_callback(CURL *handle, CURLoption option, curl_seek_callback callback) {
  return curl_easy_setopt(handle, option, callback);
}

static inline CURLcode goosefs_curl_getinfo_long(CURL *handle, CURLINFO info, long *value) {
  return curl_easy_getinfo(handle, info, value);
}

static inline CURLcode goosefs_curl_getinfo_pointer(CURL *handle, CURLINFO info, void **value) {
  return curl_easy_getinfo(handle, info, value);
}

static inline CURLMcode goosefs_curl_multi_setopt_long(CURLM *multi, CURLMoption option, long value) {
  return curl_multi_setopt(multi, option, value);
}

#endif
