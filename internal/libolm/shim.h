// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

// C side of the cgo binding to libolm 3.2.x (build tag libolm).
//
// Every helper does one complete libolm operation so that a Go call costs one
// cgo transition (plus one newt_free for a malloc'd result). Inputs that libolm
// destroys (random buffers, base64 decoded in place) are copied to C memory
// here, and the copies are wiped before they are freed. Results of variable
// length are returned in a malloc'd buffer that the Go side copies and hands
// back to newt_free.

#ifndef NEWT_LIBOLM_SHIM_H
#define NEWT_LIBOLM_SHIM_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <olm/olm.h>
#include <olm/inbound_group_session.h>
#include <olm/outbound_group_session.h>
#include <olm/pk.h>
#include <olm/sas.h>

// ---------------------------------------------------------------------------
// Internal libolm symbols. libolm.so.3 exports them but the installed headers
// do not declare them; the prototypes and struct layouts below follow
// include/olm/crypto.h, base64.h, cipher.h, pickle_encoding.h, megolm.h,
// message.h and message.hh of libolm 3.2.14 (no C changes since 3.2.13).

struct _olm_aes256_key { uint8_t key[32]; };
struct _olm_aes256_iv { uint8_t iv[16]; };
struct _olm_curve25519_public_key { uint8_t public_key[32]; };
struct _olm_curve25519_private_key { uint8_t private_key[32]; };
struct _olm_curve25519_key_pair {
	struct _olm_curve25519_public_key public_key;
	struct _olm_curve25519_private_key private_key;
};
struct _olm_ed25519_public_key { uint8_t public_key[32]; };
struct _olm_ed25519_private_key { uint8_t private_key[64]; };
struct _olm_ed25519_key_pair {
	struct _olm_ed25519_public_key public_key;
	struct _olm_ed25519_private_key private_key;
};

extern size_t _olm_crypto_aes_encrypt_cbc_length(size_t input_length);
extern void _olm_crypto_aes_encrypt_cbc(const struct _olm_aes256_key *key,
	const struct _olm_aes256_iv *iv, const uint8_t *input, size_t input_length,
	uint8_t *output);
extern size_t _olm_crypto_aes_decrypt_cbc(const struct _olm_aes256_key *key,
	const struct _olm_aes256_iv *iv, const uint8_t *input, size_t input_length,
	uint8_t *output);
extern void _olm_crypto_sha256(const uint8_t *input, size_t input_length,
	uint8_t *output);
extern void _olm_crypto_hmac_sha256(const uint8_t *key, size_t key_length,
	const uint8_t *input, size_t input_length, uint8_t *output);
// The real parameter order is (ikm, salt, info, out); crypto.h swaps the
// names of the middle two but every caller passes salt first.
extern void _olm_crypto_hkdf_sha256(const uint8_t *input, size_t input_length,
	const uint8_t *salt, size_t salt_length, const uint8_t *info,
	size_t info_length, uint8_t *output, size_t output_length);
extern void _olm_crypto_curve25519_generate_key(const uint8_t *random_32_bytes,
	struct _olm_curve25519_key_pair *output);
extern void _olm_crypto_curve25519_shared_secret(
	const struct _olm_curve25519_key_pair *our_key,
	const struct _olm_curve25519_public_key *their_key, uint8_t *output);
extern void _olm_crypto_ed25519_generate_key(const uint8_t *random_bytes,
	struct _olm_ed25519_key_pair *output);
extern void _olm_crypto_ed25519_sign(const struct _olm_ed25519_key_pair *our_key,
	const uint8_t *message, size_t message_length, uint8_t *output);
extern int _olm_crypto_ed25519_verify(const struct _olm_ed25519_public_key *their_key,
	const uint8_t *message, size_t message_length, const uint8_t *signature);

extern size_t _olm_encode_base64_length(size_t input_length);
extern size_t _olm_encode_base64(const uint8_t *input, size_t input_length,
	uint8_t *output);
extern size_t _olm_decode_base64_length(size_t input_length);
extern size_t _olm_decode_base64(const uint8_t *input, size_t input_length,
	uint8_t *output);

struct _olm_cipher;
struct _olm_cipher_ops {
	size_t (*mac_length)(const struct _olm_cipher *cipher);
	size_t (*encrypt_ciphertext_length)(const struct _olm_cipher *cipher,
		size_t plaintext_length);
	size_t (*encrypt)(const struct _olm_cipher *cipher,
		const uint8_t *key, size_t key_length,
		const uint8_t *plaintext, size_t plaintext_length,
		uint8_t *ciphertext, size_t ciphertext_length,
		uint8_t *output, size_t output_length);
	size_t (*decrypt_max_plaintext_length)(const struct _olm_cipher *cipher,
		size_t ciphertext_length);
	size_t (*decrypt)(const struct _olm_cipher *cipher,
		const uint8_t *key, size_t key_length,
		const uint8_t *input, size_t input_length,
		const uint8_t *ciphertext, size_t ciphertext_length,
		uint8_t *plaintext, size_t max_plaintext_length);
};
struct _olm_cipher { const struct _olm_cipher_ops *ops; };
struct _olm_cipher_aes_sha_256 {
	struct _olm_cipher base_cipher;
	const uint8_t *kdf_info;
	size_t kdf_info_length;
};
extern const struct _olm_cipher_ops _olm_cipher_aes_sha_256_ops;

extern size_t _olm_enc_output_length(size_t raw_length);
extern uint8_t *_olm_enc_output_pos(uint8_t *output, size_t raw_length);
extern size_t _olm_enc_output(const uint8_t *key, size_t key_length,
	uint8_t *pickle, size_t raw_length);
extern size_t _olm_enc_input(const uint8_t *key, size_t key_length,
	uint8_t *input, size_t b64_length, enum OlmErrorCode *last_error);

typedef struct newt_megolm {
	uint8_t data[4][32];
	uint32_t counter;
} newt_megolm;
extern void megolm_init(newt_megolm *megolm, const uint8_t *random_data, uint32_t counter);
extern void megolm_advance(newt_megolm *megolm);
extern void megolm_advance_to(newt_megolm *megolm, uint32_t advance_to);

// olm::MessageReader (message.hh); C++ references are pointers in the ABI.
typedef struct newt_msg_reader {
	uint8_t version;
	uint8_t has_counter; // C++ bool
	uint32_t counter;
	const uint8_t *input; size_t input_length;
	const uint8_t *ratchet_key; size_t ratchet_key_length;
	const uint8_t *ciphertext; size_t ciphertext_length;
} newt_msg_reader;
// olm::decode_message(MessageReader&, uint8_t const*, size_t, size_t)
extern void _ZN3olm14decode_messageERNS_13MessageReaderEPKhmm(newt_msg_reader *reader,
	const uint8_t *input, size_t input_length, size_t mac_length);

struct _OlmDecodeGroupMessageResults {
	uint8_t version;
	uint32_t message_index;
	int has_message_index;
	const uint8_t *ciphertext;
	size_t ciphertext_length;
};
extern void _olm_decode_group_message(const uint8_t *input, size_t input_length,
	size_t mac_length, size_t signature_length,
	struct _OlmDecodeGroupMessageResults *results);

// ---------------------------------------------------------------------------
// Shared helpers.

// newt_res carries a malloc'd output (p, n), the raw size_t result of the
// libolm call (ret) and, on failure, libolm's static last-error string (err).
typedef struct newt_res {
	uint8_t *p;
	size_t n;
	size_t ret;
	const char *err;
} newt_res;

// NZ turns a NULL pointer (an empty Go slice) into a valid empty buffer.
#define NZ(p) ((p) ? (const void *)(p) : (const void *)"")

static inline uint8_t *newt_dup(const void *src, size_t n) {
	uint8_t *p = (uint8_t *)malloc(n ? n : 1);
	if (p && n) {
		memcpy(p, src, n);
	}
	return p;
}

static inline void newt_free(void *p, size_t n) {
	if (p) {
		memset(p, 0, n);
		free(p);
	}
}

// newt_out allocates an output buffer of n bytes (never NULL for n == 0).
static inline uint8_t *newt_out(size_t n) {
	return (uint8_t *)calloc(n ? n : 1, 1);
}

// newt_fail releases an output buffer and records the error.
static inline newt_res newt_fail(newt_res r, size_t cap, const char *err) {
	newt_free(r.p, cap);
	r.p = NULL;
	r.n = 0;
	r.err = err;
	return r;
}

// ---------------------------------------------------------------------------
// Utility.

static inline const char *newt_sha256(const void *in, size_t n, uint8_t *out43) {
	OlmUtility *u = olm_utility(malloc(olm_utility_size()));
	const char *err = NULL;
	if (olm_sha256(u, NZ(in), n, out43, 43) == olm_error()) {
		err = olm_utility_last_error(u);
	}
	olm_clear_utility(u);
	free(u);
	return err;
}

static inline const char *newt_ed25519_verify(const void *key, size_t klen,
		const void *msg, size_t mlen, const void *sig, size_t slen) {
	OlmUtility *u = olm_utility(malloc(olm_utility_size()));
	uint8_t *s = newt_dup(sig, slen);
	const char *err = NULL;
	if (olm_ed25519_verify(u, NZ(key), klen, NZ(msg), mlen, s, slen) == olm_error()) {
		err = olm_utility_last_error(u);
	}
	newt_free(s, slen);
	olm_clear_utility(u);
	free(u);
	return err;
}

// ---------------------------------------------------------------------------
// Internal crypto wrappers that need C-typed temporaries.

static inline void newt_curve25519_public(const uint8_t *priv, uint8_t *pub) {
	struct _olm_curve25519_key_pair kp;
	_olm_crypto_curve25519_generate_key(priv, &kp);
	memcpy(pub, kp.public_key.public_key, 32);
	memset(&kp, 0, sizeof kp);
}

static inline void newt_curve25519_shared(const uint8_t *priv, const uint8_t *pub,
		uint8_t *out) {
	struct _olm_curve25519_key_pair kp;
	struct _olm_curve25519_public_key their;
	memset(&kp, 0, sizeof kp);
	memcpy(kp.private_key.private_key, priv, 32);
	memcpy(their.public_key, pub, 32);
	_olm_crypto_curve25519_shared_secret(&kp, &their, out);
	memset(&kp, 0, sizeof kp);
}

static inline void newt_ed25519_from_seed(const uint8_t *seed, uint8_t *pub, uint8_t *sk) {
	struct _olm_ed25519_key_pair kp;
	_olm_crypto_ed25519_generate_key(seed, &kp);
	memcpy(pub, kp.public_key.public_key, 32);
	memcpy(sk, kp.private_key.private_key, 64);
	memset(&kp, 0, sizeof kp);
}

static inline void newt_ed25519_sign(const uint8_t *pub, const uint8_t *sk,
		const void *msg, size_t n, uint8_t *sig) {
	struct _olm_ed25519_key_pair kp;
	memcpy(kp.public_key.public_key, pub, 32);
	memcpy(kp.private_key.private_key, sk, 64);
	_olm_crypto_ed25519_sign(&kp, (const uint8_t *)NZ(msg), n, sig);
	memset(&kp, 0, sizeof kp);
}

static inline int newt_ed25519_verify_raw(const uint8_t *pub, const void *msg, size_t n,
		const uint8_t *sig) {
	struct _olm_ed25519_public_key k;
	memcpy(k.public_key, pub, 32);
	return _olm_crypto_ed25519_verify(&k, (const uint8_t *)NZ(msg), n, sig);
}

// newt_cipher_encrypt runs _olm_cipher_aes_sha_256 the way Olm, Megolm and
// pickles do: out = prefix || ciphertext || mac8, the MAC covering everything
// before it. The caller has already written the prefix into out.
static inline size_t newt_cipher_encrypt(const void *info, size_t ilen,
		const void *key, size_t klen, const void *pt, size_t ptlen,
		uint8_t *out, size_t prefix_len, size_t ct_len) {
	struct _olm_cipher_aes_sha_256 c = {
		{&_olm_cipher_aes_sha_256_ops}, (const uint8_t *)NZ(info), ilen};
	return c.base_cipher.ops->encrypt(&c.base_cipher, (const uint8_t *)NZ(key), klen,
		(const uint8_t *)NZ(pt), ptlen, out + prefix_len, ct_len, out,
		prefix_len + ct_len + 8);
}

// newt_cipher_encrypt_detached runs the cipher the way PK encryption does:
// the ciphertext goes to its own buffer and the output holds only the MAC, so
// the MAC covers the empty string.
static inline size_t newt_cipher_encrypt_detached(const void *info, size_t ilen,
		const void *key, size_t klen, const void *pt, size_t ptlen,
		uint8_t *ct, size_t ct_len, uint8_t *mac8) {
	struct _olm_cipher_aes_sha_256 c = {
		{&_olm_cipher_aes_sha_256_ops}, (const uint8_t *)NZ(info), ilen};
	return c.base_cipher.ops->encrypt(&c.base_cipher, (const uint8_t *)NZ(key), klen,
		(const uint8_t *)NZ(pt), ptlen, ct, ct_len, mac8, 8);
}

// newt_cipher_decrypt checks the MAC over in[0:n-8] and decrypts
// in[prefix_len:n-8]. The caller guarantees the ciphertext length is a
// non-zero multiple of 16 (libolm reads out of bounds otherwise).
static inline size_t newt_cipher_decrypt(const void *info, size_t ilen,
		const void *key, size_t klen, const uint8_t *in, size_t n,
		size_t prefix_len, uint8_t *pt) {
	struct _olm_cipher_aes_sha_256 c = {
		{&_olm_cipher_aes_sha_256_ops}, (const uint8_t *)NZ(info), ilen};
	size_t ct_len = n - prefix_len - 8;
	return c.base_cipher.ops->decrypt(&c.base_cipher, (const uint8_t *)NZ(key), klen,
		in, n, in + prefix_len, ct_len, pt, ct_len);
}

static inline newt_res newt_pickle_encrypt(const void *key, size_t klen,
		const void *raw, size_t rawlen) {
	newt_res r = {0};
	size_t cap = _olm_enc_output_length(rawlen);
	r.p = newt_out(cap);
	memcpy(_olm_enc_output_pos(r.p, rawlen), NZ(raw), rawlen);
	r.ret = _olm_enc_output((const uint8_t *)NZ(key), klen, r.p, rawlen);
	r.n = r.ret;
	return r;
}

static inline newt_res newt_pickle_decrypt(const void *key, size_t klen,
		const void *b64, size_t n) {
	newt_res r = {0};
	enum OlmErrorCode code = OLM_SUCCESS;
	r.p = newt_dup(b64, n);
	r.ret = _olm_enc_input((const uint8_t *)NZ(key), klen, r.p, n, &code);
	if (r.ret == olm_error()) {
		return newt_fail(r, n, _olm_error_to_string(code));
	}
	r.n = r.ret;
	return r;
}

// ---------------------------------------------------------------------------
// Account.

static inline OlmAccount *newt_account_new(void) {
	return olm_account(malloc(olm_account_size()));
}

static inline void newt_account_free(OlmAccount *a) {
	olm_clear_account(a);
	free(a);
}

#define NEWT_ERR(obj, call, lasterr) ((call) == olm_error() ? lasterr(obj) : NULL)

static inline const char *newt_account_create(OlmAccount *a, const void *rnd, size_t n) {
	uint8_t *c = newt_dup(rnd, n);
	const char *err = NEWT_ERR(a, olm_create_account(a, c, n), olm_account_last_error);
	newt_free(c, n);
	return err;
}

static inline const char *newt_account_unpickle(OlmAccount *a, const void *key,
		size_t klen, const void *p, size_t n) {
	uint8_t *c = newt_dup(p, n);
	const char *err = NEWT_ERR(a, olm_unpickle_account(a, NZ(key), klen, c, n),
		olm_account_last_error);
	newt_free(c, n);
	return err;
}

// NEWT_OUTPUT defines a helper that sizes, allocates and fills an output.
#define NEWT_OUTPUT(name, lenexpr, callexpr, lasterr)                \
	static inline newt_res name {                                \
		newt_res r = {0};                                    \
		size_t cap = (lenexpr);                              \
		r.p = newt_out(cap);                                 \
		r.ret = (callexpr);                                  \
		if (r.ret == olm_error()) {                          \
			return newt_fail(r, cap, lasterr(obj));      \
		}                                                    \
		r.n = r.ret;                                         \
		return r;                                            \
	}

NEWT_OUTPUT(newt_account_pickle(OlmAccount *obj, const void *key, size_t klen),
	olm_pickle_account_length(obj),
	olm_pickle_account(obj, NZ(key), klen, r.p, cap), olm_account_last_error)
NEWT_OUTPUT(newt_account_identity_keys(OlmAccount *obj),
	olm_account_identity_keys_length(obj),
	olm_account_identity_keys(obj, r.p, cap), olm_account_last_error)
NEWT_OUTPUT(newt_account_sign(OlmAccount *obj, const void *msg, size_t n),
	olm_account_signature_length(obj),
	olm_account_sign(obj, NZ(msg), n, r.p, cap), olm_account_last_error)
NEWT_OUTPUT(newt_account_one_time_keys(OlmAccount *obj),
	olm_account_one_time_keys_length(obj),
	olm_account_one_time_keys(obj, r.p, cap), olm_account_last_error)
NEWT_OUTPUT(newt_account_fallback_key(OlmAccount *obj),
	olm_account_fallback_key_length(obj),
	olm_account_fallback_key(obj, r.p, cap), olm_account_last_error)
NEWT_OUTPUT(newt_account_unpublished_fallback_key(OlmAccount *obj),
	olm_account_unpublished_fallback_key_length(obj),
	olm_account_unpublished_fallback_key(obj, r.p, cap), olm_account_last_error)

static inline const char *newt_account_generate_otks(OlmAccount *a, size_t count,
		const void *rnd, size_t n) {
	uint8_t *c = newt_dup(rnd, n);
	const char *err = NEWT_ERR(a, olm_account_generate_one_time_keys(a, count, c, n),
		olm_account_last_error);
	newt_free(c, n);
	return err;
}

static inline const char *newt_account_generate_fallback(OlmAccount *a,
		const void *rnd, size_t n) {
	uint8_t *c = newt_dup(rnd, n);
	const char *err = NEWT_ERR(a, olm_account_generate_fallback_key(a, c, n),
		olm_account_last_error);
	newt_free(c, n);
	return err;
}

static inline const char *newt_remove_one_time_keys(OlmAccount *a, OlmSession *s) {
	return NEWT_ERR(a, olm_remove_one_time_keys(a, s), olm_account_last_error);
}

// ---------------------------------------------------------------------------
// Olm session.

static inline OlmSession *newt_session_new(void) {
	return olm_session(malloc(olm_session_size()));
}

static inline void newt_session_free(OlmSession *s) {
	olm_clear_session(s);
	free(s);
}

static inline const char *newt_session_unpickle(OlmSession *s, const void *key,
		size_t klen, const void *p, size_t n) {
	uint8_t *c = newt_dup(p, n);
	const char *err = NEWT_ERR(s, olm_unpickle_session(s, NZ(key), klen, c, n),
		olm_session_last_error);
	newt_free(c, n);
	return err;
}

static inline const char *newt_session_create_outbound(OlmSession *s, OlmAccount *a,
		const void *idk, size_t idklen, const void *otk, size_t otklen,
		const void *rnd, size_t n) {
	uint8_t *c = newt_dup(rnd, n);
	const char *err = NEWT_ERR(s, olm_create_outbound_session(s, a, NZ(idk), idklen,
		NZ(otk), otklen, c, n), olm_session_last_error);
	newt_free(c, n);
	return err;
}

static inline const char *newt_session_create_inbound(OlmSession *s, OlmAccount *a,
		const void *msg, size_t n) {
	uint8_t *c = newt_dup(msg, n);
	const char *err = NEWT_ERR(s, olm_create_inbound_session(s, a, c, n),
		olm_session_last_error);
	newt_free(c, n);
	return err;
}

static inline const char *newt_session_create_inbound_from(OlmSession *s, OlmAccount *a,
		const void *idk, size_t idklen, const void *msg, size_t n) {
	uint8_t *c = newt_dup(msg, n);
	const char *err = NEWT_ERR(s, olm_create_inbound_session_from(s, a, NZ(idk), idklen,
		c, n), olm_session_last_error);
	newt_free(c, n);
	return err;
}

NEWT_OUTPUT(newt_session_pickle(OlmSession *obj, const void *key, size_t klen),
	olm_pickle_session_length(obj),
	olm_pickle_session(obj, NZ(key), klen, r.p, cap), olm_session_last_error)
NEWT_OUTPUT(newt_session_id(OlmSession *obj),
	olm_session_id_length(obj),
	olm_session_id(obj, r.p, cap), olm_session_last_error)

static inline newt_res newt_session_matches(OlmSession *s, const void *idk, size_t idklen,
		const void *msg, size_t n) {
	newt_res r = {0};
	uint8_t *c = newt_dup(msg, n);
	if (idk) {
		r.ret = olm_matches_inbound_session_from(s, idk, idklen, c, n);
	} else {
		r.ret = olm_matches_inbound_session(s, c, n);
	}
	if (r.ret == olm_error()) {
		r.err = olm_session_last_error(s);
	}
	newt_free(c, n);
	return r;
}

// newt_session_encrypt returns the message type in ret and the b64 message.
static inline newt_res newt_session_encrypt(OlmSession *s, const void *pt, size_t n,
		const void *rnd, size_t rn) {
	newt_res r = {0};
	size_t type = olm_encrypt_message_type(s);
	size_t cap = olm_encrypt_message_length(s, n);
	uint8_t *c = rn ? newt_dup(rnd, rn) : NULL;
	if (cap == olm_error()) {
		newt_free(c, rn);
		r.err = olm_session_last_error(s);
		return r;
	}
	r.p = newt_out(cap);
	r.n = olm_encrypt(s, NZ(pt), n, c, rn, r.p, cap);
	newt_free(c, rn);
	if (r.n == olm_error()) {
		return newt_fail(r, cap, olm_session_last_error(s));
	}
	r.ret = type;
	return r;
}

static inline newt_res newt_session_decrypt(OlmSession *s, size_t type, const void *msg,
		size_t n) {
	newt_res r = {0};
	uint8_t *c = newt_dup(msg, n);
	size_t cap = olm_decrypt_max_plaintext_length(s, type, c, n);
	if (cap == olm_error()) {
		newt_free(c, n);
		r.err = olm_session_last_error(s);
		return r;
	}
	memcpy(c, NZ(msg), n);
	r.p = newt_out(cap);
	r.n = olm_decrypt(s, type, c, n, r.p, cap);
	newt_free(c, n);
	if (r.n == olm_error()) {
		return newt_fail(r, cap, olm_session_last_error(s));
	}
	r.ret = r.n;
	return r;
}

// ---------------------------------------------------------------------------
// Megolm outbound.

static inline OlmOutboundGroupSession *newt_ogs_new(void) {
	return olm_outbound_group_session(malloc(olm_outbound_group_session_size()));
}

static inline void newt_ogs_free(OlmOutboundGroupSession *s) {
	olm_clear_outbound_group_session(s);
	free(s);
}

static inline const char *newt_ogs_create(OlmOutboundGroupSession *s, const void *rnd,
		size_t n) {
	uint8_t *c = newt_dup(rnd, n);
	const char *err = NEWT_ERR(s, olm_init_outbound_group_session(s, c, n),
		olm_outbound_group_session_last_error);
	newt_free(c, n);
	return err;
}

static inline const char *newt_ogs_unpickle(OlmOutboundGroupSession *s, const void *key,
		size_t klen, const void *p, size_t n) {
	uint8_t *c = newt_dup(p, n);
	const char *err = NEWT_ERR(s, olm_unpickle_outbound_group_session(s, NZ(key), klen,
		c, n), olm_outbound_group_session_last_error);
	newt_free(c, n);
	return err;
}

NEWT_OUTPUT(newt_ogs_pickle(OlmOutboundGroupSession *obj, const void *key, size_t klen),
	olm_pickle_outbound_group_session_length(obj),
	olm_pickle_outbound_group_session(obj, NZ(key), klen, r.p, cap),
	olm_outbound_group_session_last_error)
NEWT_OUTPUT(newt_ogs_id(OlmOutboundGroupSession *obj),
	olm_outbound_group_session_id_length(obj),
	olm_outbound_group_session_id(obj, r.p, cap), olm_outbound_group_session_last_error)
NEWT_OUTPUT(newt_ogs_key(OlmOutboundGroupSession *obj),
	olm_outbound_group_session_key_length(obj),
	olm_outbound_group_session_key(obj, r.p, cap), olm_outbound_group_session_last_error)
NEWT_OUTPUT(newt_ogs_encrypt(OlmOutboundGroupSession *obj, const void *pt, size_t n),
	olm_group_encrypt_message_length(obj, n),
	olm_group_encrypt(obj, (const uint8_t *)NZ(pt), n, r.p, cap),
	olm_outbound_group_session_last_error)

// ---------------------------------------------------------------------------
// Megolm inbound.

static inline OlmInboundGroupSession *newt_igs_new(void) {
	return olm_inbound_group_session(malloc(olm_inbound_group_session_size()));
}

static inline void newt_igs_free(OlmInboundGroupSession *s) {
	olm_clear_inbound_group_session(s);
	free(s);
}

static inline const char *newt_igs_init(OlmInboundGroupSession *s, int import,
		const void *key, size_t n) {
	uint8_t *c = newt_dup(key, n);
	size_t ret = import ? olm_import_inbound_group_session(s, c, n)
		: olm_init_inbound_group_session(s, c, n);
	newt_free(c, n);
	return ret == olm_error() ? olm_inbound_group_session_last_error(s) : NULL;
}

static inline const char *newt_igs_unpickle(OlmInboundGroupSession *s, const void *key,
		size_t klen, const void *p, size_t n) {
	uint8_t *c = newt_dup(p, n);
	const char *err = NEWT_ERR(s, olm_unpickle_inbound_group_session(s, NZ(key), klen,
		c, n), olm_inbound_group_session_last_error);
	newt_free(c, n);
	return err;
}

NEWT_OUTPUT(newt_igs_pickle(OlmInboundGroupSession *obj, const void *key, size_t klen),
	olm_pickle_inbound_group_session_length(obj),
	olm_pickle_inbound_group_session(obj, NZ(key), klen, r.p, cap),
	olm_inbound_group_session_last_error)
NEWT_OUTPUT(newt_igs_id(OlmInboundGroupSession *obj),
	olm_inbound_group_session_id_length(obj),
	olm_inbound_group_session_id(obj, r.p, cap), olm_inbound_group_session_last_error)
NEWT_OUTPUT(newt_igs_export(OlmInboundGroupSession *obj, uint32_t idx),
	olm_export_inbound_group_session_length(obj),
	olm_export_inbound_group_session(obj, r.p, cap, idx),
	olm_inbound_group_session_last_error)

// newt_igs_decrypt returns the plaintext and stores the message index in *idx
// (libolm writes it before the signature check, so it is set on some errors).
static inline newt_res newt_igs_decrypt(OlmInboundGroupSession *s, const void *msg,
		size_t n, uint32_t *idx) {
	newt_res r = {0};
	uint8_t *c = newt_dup(msg, n);
	size_t cap = olm_group_decrypt_max_plaintext_length(s, c, n);
	if (cap == olm_error()) {
		newt_free(c, n);
		r.err = olm_inbound_group_session_last_error(s);
		return r;
	}
	memcpy(c, NZ(msg), n);
	r.p = newt_out(cap);
	r.n = olm_group_decrypt(s, c, n, r.p, cap, idx);
	newt_free(c, n);
	if (r.n == olm_error()) {
		return newt_fail(r, cap, olm_inbound_group_session_last_error(s));
	}
	r.ret = r.n;
	return r;
}

// ---------------------------------------------------------------------------
// PK.

static inline OlmPkEncryption *newt_pkenc_new(void) {
	return olm_pk_encryption(malloc(olm_pk_encryption_size()));
}

static inline void newt_pkenc_free(OlmPkEncryption *e) {
	olm_clear_pk_encryption(e);
	free(e);
}

static inline const char *newt_pkenc_set_recipient(OlmPkEncryption *e, const void *k,
		size_t n) {
	return NEWT_ERR(e, olm_pk_encryption_set_recipient_key(e, NZ(k), n),
		olm_pk_encryption_last_error);
}

// newt_pkenc_encrypt returns the b64 ciphertext and writes the b64 MAC (11)
// and ephemeral key (43) into the caller's buffers.
static inline newt_res newt_pkenc_encrypt(OlmPkEncryption *e, const void *pt, size_t n,
		const void *rnd, size_t rn, uint8_t *mac11, uint8_t *eph43) {
	newt_res r = {0};
	size_t cap = olm_pk_ciphertext_length(e, n);
	uint8_t *c = newt_dup(rnd, rn);
	r.p = newt_out(cap);
	r.ret = olm_pk_encrypt(e, NZ(pt), n, r.p, cap, mac11, 11, eph43, 43, c, rn);
	newt_free(c, rn);
	if (r.ret == olm_error()) {
		return newt_fail(r, cap, olm_pk_encryption_last_error(e));
	}
	r.n = cap;
	return r;
}

static inline OlmPkDecryption *newt_pkdec_new(void) {
	return olm_pk_decryption(malloc(olm_pk_decryption_size()));
}

static inline void newt_pkdec_free(OlmPkDecryption *d) {
	olm_clear_pk_decryption(d);
	free(d);
}

static inline const char *newt_pkdec_from_private(OlmPkDecryption *d, const void *priv,
		size_t n, uint8_t *pub43) {
	uint8_t *c = newt_dup(priv, n);
	const char *err = NEWT_ERR(d, olm_pk_key_from_private(d, pub43, 43, c, n),
		olm_pk_decryption_last_error);
	newt_free(c, n);
	return err;
}

static inline const char *newt_pkdec_unpickle(OlmPkDecryption *d, const void *key,
		size_t klen, const void *p, size_t n, uint8_t *pub43) {
	uint8_t *c = newt_dup(p, n);
	const char *err = NEWT_ERR(d, olm_unpickle_pk_decryption(d, NZ(key), klen, c, n,
		pub43, 43), olm_pk_decryption_last_error);
	newt_free(c, n);
	return err;
}

NEWT_OUTPUT(newt_pkdec_pickle(OlmPkDecryption *obj, const void *key, size_t klen),
	olm_pickle_pk_decryption_length(obj),
	olm_pickle_pk_decryption(obj, NZ(key), klen, r.p, cap), olm_pk_decryption_last_error)

static inline const char *newt_pkdec_private(OlmPkDecryption *d, uint8_t *out32) {
	return NEWT_ERR(d, olm_pk_get_private_key(d, out32, 32), olm_pk_decryption_last_error);
}

static inline newt_res newt_pkdec_decrypt(OlmPkDecryption *d, const void *eph, size_t elen,
		const void *mac, size_t mlen, const void *ct, size_t clen) {
	newt_res r = {0};
	size_t cap = olm_pk_max_plaintext_length(d, clen);
	uint8_t *c = newt_dup(ct, clen);
	if (cap == olm_error()) {
		// Length error (clen % 4 == 1): let olm_pk_decrypt report it.
		cap = 0;
	}
	r.p = newt_out(cap);
	r.n = olm_pk_decrypt(d, NZ(eph), elen, NZ(mac), mlen, c, clen, r.p, cap);
	newt_free(c, clen);
	if (r.n == olm_error()) {
		return newt_fail(r, cap, olm_pk_decryption_last_error(d));
	}
	r.ret = r.n;
	return r;
}

static inline OlmPkSigning *newt_pksign_new(void) {
	return olm_pk_signing(malloc(olm_pk_signing_size()));
}

static inline void newt_pksign_free(OlmPkSigning *s) {
	olm_clear_pk_signing(s);
	free(s);
}

static inline const char *newt_pksign_from_seed(OlmPkSigning *s, const void *seed,
		size_t n, uint8_t *pub43) {
	uint8_t *c = newt_dup(seed, n);
	const char *err = NEWT_ERR(s, olm_pk_signing_key_from_seed(s, pub43, 43, c, n),
		olm_pk_signing_last_error);
	newt_free(c, n);
	return err;
}

static inline const char *newt_pksign_sign(OlmPkSigning *s, const void *msg, size_t n,
		uint8_t *sig86) {
	return NEWT_ERR(s, olm_pk_sign(s, (const uint8_t *)NZ(msg), n, sig86, 86),
		olm_pk_signing_last_error);
}

// ---------------------------------------------------------------------------
// SAS.

static inline OlmSAS *newt_sas_new(void) {
	return olm_sas(malloc(olm_sas_size()));
}

static inline void newt_sas_free(OlmSAS *s) {
	olm_clear_sas(s);
	free(s);
}

static inline const char *newt_sas_create(OlmSAS *s, const void *rnd, size_t n) {
	uint8_t *c = newt_dup(rnd, n);
	const char *err = NEWT_ERR(s, olm_create_sas(s, c, n), olm_sas_last_error);
	newt_free(c, n);
	return err;
}

static inline const char *newt_sas_pubkey(OlmSAS *s, uint8_t *out43) {
	return NEWT_ERR(s, olm_sas_get_pubkey(s, out43, 43), olm_sas_last_error);
}

static inline const char *newt_sas_set_their_key(OlmSAS *s, const void *k, size_t n) {
	uint8_t *c = newt_dup(k, n);
	const char *err = NEWT_ERR(s, olm_sas_set_their_key(s, c, n), olm_sas_last_error);
	newt_free(c, n);
	return err;
}

static inline const char *newt_sas_generate_bytes(OlmSAS *s, const void *info, size_t ilen,
		uint8_t *out, size_t n) {
	return NEWT_ERR(s, olm_sas_generate_bytes(s, NZ(info), ilen, out, n),
		olm_sas_last_error);
}

// newt_sas_mac: variant 0 = olm_sas_calculate_mac, 1 = _fixed_base64,
// 2 = _long_kdf. Writes 43 characters into out43.
static inline const char *newt_sas_mac(OlmSAS *s, int variant, const void *in, size_t n,
		const void *info, size_t ilen, uint8_t *out43) {
	size_t ret;
	switch (variant) {
	case 1:
		ret = olm_sas_calculate_mac_fixed_base64(s, NZ(in), n, NZ(info), ilen, out43, 43);
		break;
	case 2:
		ret = olm_sas_calculate_mac_long_kdf(s, NZ(in), n, NZ(info), ilen, out43, 43);
		break;
	default:
		ret = olm_sas_calculate_mac(s, NZ(in), n, NZ(info), ilen, out43, 43);
	}
	return ret == olm_error() ? olm_sas_last_error(s) : NULL;
}

#endif // NEWT_LIBOLM_SHIM_H
