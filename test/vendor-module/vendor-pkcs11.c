/*
 * cardfleet vendor-behaviour PKCS#11 module (tests only).
 *
 * Wraps SoftHSM2 and adds what vendor middleware does and SoftHSM lacks (docs/test-rig.md, "The vendor-behaviour PKCS#11 module"):
 *  - one main slot per card, described with its reader's name, and an optional
 *    signature slot "<reader> - Signature" (Gemalto IDPrime 940 style);
 *  - retry counters for user, SO and signature PINs that drive CKF_*_COUNT_LOW,
 *    _FINAL_TRY and _LOCKED and block after the configured tries (PUK: 5, seed);
 *  - the Gemalto key restrictions (RSA 1024/2048, e = 0x010001);
 *  - CKR_FUNCTION_FAILED when a certificate already on the token is written again;
 *  - CKR_DEVICE_MEMORY once an object budget is spent;
 *  - the Idopte license attribute 0x8000006A on the NULL object handle: 128-byte
 *    license in, 19-byte status out (licensePresent, serialValid, dateValid, start,
 *    end), licenses in the virtual batch card's format (HMAC-SHA256 over 96 bytes);
 *  - a call log the tests read.
 * Configured by the file named in CARDFLEET_VENDOR_CONF (key=value lines):
 *   softhsm=PATH  log=PATH  state=DIR  license_key=HEX  object_budget=N
 *   user_tries=N  so_tries=N  sign_tries=N  today=YYYYMMDD (optional)
 *   card=READER|MAIN_TOKEN_LABEL|SIGNATURE_TOKEN_LABEL_or_-   (repeatable)
 */
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <openssl/hmac.h>
#include <openssl/crypto.h>
#include <pkcs11/pkcs11.h>

#define MAX_CARDS 8
#define MAX_SESSIONS 1024
#define LICENSE_ATTRIBUTE 0x8000006AUL
#define CKF_COUNT_LOW_USER 0x00010000UL
#define CKF_FINAL_TRY_USER 0x00020000UL
#define CKF_LOCKED_USER 0x00040000UL
#define CKF_COUNT_LOW_SO 0x00100000UL
#define CKF_FINAL_TRY_SO 0x00200000UL
#define CKF_LOCKED_SO 0x00400000UL

typedef struct {
  char reader[64];
  char label[2][33];      /* 0 = main, 1 = signature ("" = none) */
  CK_SLOT_ID under[2];    /* SoftHSM slot of each */
  int user_tries[2], so_tries[2];
  int user_logged_in[2];
  int objects;
} card_t;

static CK_FUNCTION_LIST_PTR hsm;
static CK_FUNCTION_LIST ours;
static card_t cards[MAX_CARDS];
static int card_count;
static char log_path[512], state_dir[512], today_override[9];
static unsigned char license_key[64];
static size_t license_key_len;
static int object_budget = 1000, max_user = 3, max_so = 5, max_sign = 3;
static struct { int card, kind, used; } sessions[MAX_SESSIONS];

static void log_call(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
#include <stdarg.h>
static void log_call(const char *fmt, ...) {
  if (!log_path[0]) return;
  FILE *f = fopen(log_path, "a");
  if (!f) return;
  va_list ap;
  va_start(ap, fmt);
  vfprintf(f, fmt, ap);
  va_end(ap);
  fputc('\n', f);
  fclose(f);
}

/* Virtual slot id: card * 2 + kind. */
static int slot_card(CK_SLOT_ID id, int *kind) {
  int c = (int)(id / 2), k = (int)(id % 2);
  if (c >= card_count || !cards[c].label[k][0]) return -1;
  *kind = k;
  return c;
}

static int session_card(CK_SESSION_HANDLE h, int *kind) {
  if (h >= MAX_SESSIONS || !sessions[h].used) return -1;
  *kind = sessions[h].kind;
  return sessions[h].card;
}

static void pad(char *dst, const char *src, size_t n) {
  size_t len = strlen(src);
  memset(dst, ' ', n);
  memcpy(dst, src, len < n ? len : n);
}

static CK_RV find_underlying(void) {
  CK_ULONG n = 0;
  CK_RV rv = hsm->C_GetSlotList(CK_TRUE, NULL, &n);
  if (rv != CKR_OK) return rv;
  CK_SLOT_ID *ids = calloc(n ? n : 1, sizeof *ids);
  rv = hsm->C_GetSlotList(CK_TRUE, ids, &n);
  for (int c = 0; c < card_count; c++) {
    for (int k = 0; k < 2; k++) {
      if (!cards[c].label[k][0]) continue;
      for (CK_ULONG i = 0; i < n; i++) {
        CK_TOKEN_INFO info;
        char want[32];
        pad(want, cards[c].label[k], 32);
        if (hsm->C_GetTokenInfo(ids[i], &info) == CKR_OK && memcmp(info.label, want, 32) == 0) cards[c].under[k] = ids[i];
      }
    }
  }
  free(ids);
  return rv;
}

static void read_config(void) {
  const char *path = getenv("CARDFLEET_VENDOR_CONF");
  FILE *f = path ? fopen(path, "r") : NULL;
  char line[1024];
  while (f && fgets(line, sizeof line, f)) {
    line[strcspn(line, "\r\n")] = 0;
    char *eq = strchr(line, '=');
    if (!eq) continue;
    *eq = 0;
    const char *key = line, *value = eq + 1;
    if (!strcmp(key, "log")) snprintf(log_path, sizeof log_path, "%s", value);
    else if (!strcmp(key, "state")) snprintf(state_dir, sizeof state_dir, "%s", value);
    else if (!strcmp(key, "today")) snprintf(today_override, sizeof today_override, "%s", value);
    else if (!strcmp(key, "object_budget")) object_budget = atoi(value);
    else if (!strcmp(key, "user_tries")) max_user = atoi(value);
    else if (!strcmp(key, "so_tries")) max_so = atoi(value);
    else if (!strcmp(key, "sign_tries")) max_sign = atoi(value);
    else if (!strcmp(key, "license_key")) {
      license_key_len = 0;
      for (size_t i = 0; value[i] && value[i + 1] && license_key_len < sizeof license_key; i += 2) {
        unsigned int b;
        sscanf(value + i, "%2x", &b);
        license_key[license_key_len++] = (unsigned char)b;
      }
    } else if (!strcmp(key, "card") && card_count < MAX_CARDS) {
      card_t *c = &cards[card_count++];
      char *a = strtok((char *)value, "|"), *b = strtok(NULL, "|"), *s = strtok(NULL, "|");
      snprintf(c->reader, sizeof c->reader, "%s", a ? a : "");
      snprintf(c->label[0], sizeof c->label[0], "%s", b ? b : "");
      snprintf(c->label[1], sizeof c->label[1], "%s", s && strcmp(s, "-") ? s : "");
      for (int k = 0; k < 2; k++) {
        c->user_tries[k] = k ? max_sign : max_user;
        c->so_tries[k] = max_so;
      }
    }
  }
  if (f) fclose(f);
}

/* ---- slots and tokens ---- */

static CK_RV v_Initialize(CK_VOID_PTR args) {
  CK_RV rv = hsm->C_Initialize(args);
  if (rv != CKR_OK && rv != CKR_CRYPTOKI_ALREADY_INITIALIZED) return rv;
  static int configured;
  if (!configured) {
    read_config();
    configured = 1;
  }
  log_call("C_Initialize");
  return find_underlying() == CKR_OK ? rv : CKR_GENERAL_ERROR;
}

static CK_RV v_GetSlotList(CK_BBOOL present, CK_SLOT_ID_PTR list, CK_ULONG_PTR count) {
  (void)present;
  CK_ULONG n = 0;
  for (int c = 0; c < card_count; c++)
    for (int k = 0; k < 2; k++)
      if (cards[c].label[k][0]) {
        if (list && n < *count) list[n] = (CK_SLOT_ID)(c * 2 + k);
        n++;
      }
  if (list && *count < n) { *count = n; return CKR_BUFFER_TOO_SMALL; }
  *count = n;
  return CKR_OK;
}

static CK_RV v_GetSlotInfo(CK_SLOT_ID id, CK_SLOT_INFO_PTR info) {
  int kind, c = slot_card(id, &kind);
  if (c < 0) return CKR_SLOT_ID_INVALID;
  CK_RV rv = hsm->C_GetSlotInfo(cards[c].under[kind], info);
  if (rv != CKR_OK) return rv;
  char description[80];
  snprintf(description, sizeof description, kind ? "%s - Signature" : "%s", cards[c].reader);
  pad((char *)info->slotDescription, description, sizeof info->slotDescription);
  info->flags = CKF_TOKEN_PRESENT | CKF_REMOVABLE_DEVICE | CKF_HW_SLOT;
  return CKR_OK;
}

static CK_ULONG pin_flags(int tries, int max, CK_ULONG low, CK_ULONG final_try, CK_ULONG locked) {
  if (tries <= 0) return locked;
  if (tries == 1) return final_try | low;
  return tries < max ? low : 0;
}

static CK_RV v_GetTokenInfo(CK_SLOT_ID id, CK_TOKEN_INFO_PTR info) {
  int kind, c = slot_card(id, &kind);
  if (c < 0) return CKR_SLOT_ID_INVALID;
  CK_RV rv = hsm->C_GetTokenInfo(cards[c].under[kind], info);
  if (rv != CKR_OK) return rv;
  info->flags &= ~(CKF_COUNT_LOW_USER | CKF_FINAL_TRY_USER | CKF_LOCKED_USER | CKF_COUNT_LOW_SO | CKF_FINAL_TRY_SO | CKF_LOCKED_SO);
  info->flags |= pin_flags(cards[c].user_tries[kind], kind ? max_sign : max_user, CKF_COUNT_LOW_USER, CKF_FINAL_TRY_USER, CKF_LOCKED_USER);
  info->flags |= pin_flags(cards[c].so_tries[kind], max_so, CKF_COUNT_LOW_SO, CKF_FINAL_TRY_SO, CKF_LOCKED_SO);
  return CKR_OK;
}

static CK_RV v_InitToken(CK_SLOT_ID id, CK_UTF8CHAR_PTR pin, CK_ULONG len, CK_UTF8CHAR_PTR label) {
  int kind, c = slot_card(id, &kind);
  if (c < 0) return CKR_SLOT_ID_INVALID;
  log_call("C_InitToken slot=%lu", (unsigned long)id);
  if (cards[c].so_tries[kind] <= 0) return CKR_PIN_LOCKED;
  CK_RV rv = hsm->C_InitToken(cards[c].under[kind], pin, len, label);
  if (rv == CKR_PIN_INCORRECT) cards[c].so_tries[kind]--;
  if (rv == CKR_OK) {
    cards[c].so_tries[kind] = max_so;
    cards[c].objects = 0;
    char fresh[33];
    memcpy(fresh, label, 32);
    fresh[32] = 0;
    for (int i = 31; i >= 0 && fresh[i] == ' '; i--) fresh[i] = 0;
    snprintf(cards[c].label[kind], sizeof cards[c].label[kind], "%s", fresh);
  }
  return rv;
}

/* ---- sessions and login ---- */

static CK_RV v_OpenSession(CK_SLOT_ID id, CK_FLAGS flags, CK_VOID_PTR app, CK_NOTIFY notify, CK_SESSION_HANDLE_PTR out) {
  int kind, c = slot_card(id, &kind);
  if (c < 0) return CKR_SLOT_ID_INVALID;
  CK_RV rv = hsm->C_OpenSession(cards[c].under[kind], flags, app, notify, out);
  if (rv == CKR_OK && *out < MAX_SESSIONS) {
    sessions[*out].card = c;
    sessions[*out].kind = kind;
    sessions[*out].used = 1;
  }
  return rv;
}

static CK_RV v_CloseSession(CK_SESSION_HANDLE h) {
  int kind, c = session_card(h, &kind);
  if (h < MAX_SESSIONS) sessions[h].used = 0;
  if (c >= 0) {
    /* PKCS#11 §5.6: closing the last session of a token ends its login. */
    int open = 0;
    for (int i = 0; i < MAX_SESSIONS; i++) open += sessions[i].used && sessions[i].card == c && sessions[i].kind == kind;
    if (!open) cards[c].user_logged_in[kind] = 0;
  }
  return hsm->C_CloseSession(h);
}

static CK_RV v_Login(CK_SESSION_HANDLE h, CK_USER_TYPE type, CK_UTF8CHAR_PTR pin, CK_ULONG len) {
  int kind, c = session_card(h, &kind);
  if (c < 0) return CKR_SESSION_HANDLE_INVALID;
  int *tries = type == CKU_SO ? &cards[c].so_tries[kind] : &cards[c].user_tries[kind];
  log_call("C_Login slot=%d type=%lu", c * 2 + kind, (unsigned long)type);
  if (*tries <= 0) return CKR_PIN_LOCKED;
  CK_RV rv = hsm->C_Login(h, type, pin, len);
  if (rv == CKR_PIN_INCORRECT) {
    (*tries)--;
    return *tries <= 0 ? CKR_PIN_LOCKED : rv;
  }
  if (rv == CKR_OK || rv == CKR_USER_ALREADY_LOGGED_IN) {
    *tries = type == CKU_SO ? max_so : (kind ? max_sign : max_user);
    if (type == CKU_USER) cards[c].user_logged_in[kind] = 1;
  }
  return rv;
}

static CK_RV v_Logout(CK_SESSION_HANDLE h) {
  int kind, c = session_card(h, &kind);
  if (c >= 0) cards[c].user_logged_in[kind] = 0;
  return hsm->C_Logout(h);
}

static CK_RV v_SetPIN(CK_SESSION_HANDLE h, CK_UTF8CHAR_PTR old, CK_ULONG old_len, CK_UTF8CHAR_PTR pin, CK_ULONG len) {
  log_call("C_SetPIN");
  return hsm->C_SetPIN(h, old, old_len, pin, len);
}

static CK_RV v_InitPIN(CK_SESSION_HANDLE h, CK_UTF8CHAR_PTR pin, CK_ULONG len) {
  int kind, c = session_card(h, &kind);
  log_call("C_InitPIN");
  CK_RV rv = hsm->C_InitPIN(h, pin, len);
  if (rv == CKR_OK && c >= 0) cards[c].user_tries[kind] = kind ? max_sign : max_user;
  return rv;
}

/* ---- objects ---- */

static CK_ATTRIBUTE_PTR attribute(CK_ATTRIBUTE_PTR t, CK_ULONG n, CK_ATTRIBUTE_TYPE type) {
  for (CK_ULONG i = 0; i < n; i++)
    if (t[i].type == type) return &t[i];
  return NULL;
}

static CK_RV spend_budget(int c, int objects) {
  if (cards[c].objects + objects > object_budget) return CKR_DEVICE_MEMORY;
  cards[c].objects += objects;
  return CKR_OK;
}

static CK_RV v_CreateObject(CK_SESSION_HANDLE h, CK_ATTRIBUTE_PTR t, CK_ULONG n, CK_OBJECT_HANDLE_PTR out) {
  int kind, c = session_card(h, &kind);
  if (c < 0) return CKR_SESSION_HANDLE_INVALID;
  CK_ATTRIBUTE_PTR cls = attribute(t, n, CKA_CLASS), value = attribute(t, n, CKA_VALUE);
  log_call("C_CreateObject slot=%d", c * 2 + kind);
  if (cls && cls->ulValueLen == sizeof(CK_OBJECT_CLASS) && *(CK_OBJECT_CLASS *)cls->pValue == CKO_CERTIFICATE && value) {
    CK_ATTRIBUTE find[2] = {{CKA_CLASS, cls->pValue, cls->ulValueLen}, {CKA_VALUE, value->pValue, value->ulValueLen}};
    CK_OBJECT_HANDLE found;
    CK_ULONG count = 0;
    if (hsm->C_FindObjectsInit(h, find, 2) == CKR_OK) {
      hsm->C_FindObjects(h, &found, 1, &count);
      hsm->C_FindObjectsFinal(h);
    }
    if (count > 0) return CKR_FUNCTION_FAILED; /* Gemalto: the certificate is already on the card */
  }
  CK_RV rv = spend_budget(c, 1);
  return rv != CKR_OK ? rv : hsm->C_CreateObject(h, t, n, out);
}

static CK_RV v_GenerateKeyPair(CK_SESSION_HANDLE h, CK_MECHANISM_PTR m, CK_ATTRIBUTE_PTR pub, CK_ULONG npub, CK_ATTRIBUTE_PTR priv, CK_ULONG npriv,
                               CK_OBJECT_HANDLE_PTR hpub, CK_OBJECT_HANDLE_PTR hpriv) {
  int kind, c = session_card(h, &kind);
  if (c < 0) return CKR_SESSION_HANDLE_INVALID;
  CK_ATTRIBUTE_PTR bits = attribute(pub, npub, CKA_MODULUS_BITS), e = attribute(pub, npub, CKA_PUBLIC_EXPONENT);
  CK_ULONG b = bits && bits->ulValueLen == sizeof(CK_ULONG) ? *(CK_ULONG *)bits->pValue : 0;
  log_call("C_GenerateKeyPair slot=%d bits=%lu", c * 2 + kind, (unsigned long)b);
  if (b != 1024 && b != 2048) return CKR_KEY_SIZE_RANGE;
  static const unsigned char f4[] = {1, 0, 1};
  if (e && !(e->ulValueLen == 3 && !memcmp(e->pValue, f4, 3))) return CKR_TEMPLATE_INCONSISTENT;
  CK_RV rv = spend_budget(c, 2);
  return rv != CKR_OK ? rv : hsm->C_GenerateKeyPair(h, m, pub, npub, priv, npriv, hpub, hpriv);
}

/* ---- licenses (Idopte seed) ---- */

static void license_path(int c, int kind, char *out, size_t n) {
  CK_TOKEN_INFO info;
  char serial[17] = {0};
  if (hsm->C_GetTokenInfo(cards[c].under[kind], &info) == CKR_OK) memcpy(serial, info.serialNumber, 16);
  for (int i = 15; i >= 0 && serial[i] == ' '; i--) serial[i] = 0;
  snprintf(out, n, "%s/%s.license", state_dir, serial);
}

static void today(char out[9]) {
  if (today_override[0]) { memcpy(out, today_override, 9); return; }
  time_t now = time(NULL);
  strftime(out, 9, "%Y%m%d", gmtime(&now));
}

static void license_status(int c, int kind, unsigned char out[19]) {
  unsigned char lic[128];
  char path[700], now[9];
  memset(out, 0, 19);
  memset(out + 3, '0', 16);
  license_path(c, kind, path, sizeof path);
  FILE *f = fopen(path, "rb");
  if (!f) return;
  size_t got = fread(lic, 1, sizeof lic, f);
  fclose(f);
  if (got != sizeof lic) return;
  out[0] = 1; /* licensePresent */
  unsigned char mac[32];
  unsigned int mac_len = 0;
  HMAC(EVP_sha256(), license_key, (int)license_key_len, lic, 96, mac, &mac_len);
  if (mac_len != 32 || CRYPTO_memcmp(mac, lic + 96, 32) != 0) return;
  memcpy(out + 3, lic + 36, 8);
  memcpy(out + 11, lic + 44, 8);
  CK_TOKEN_INFO info;
  hsm->C_GetTokenInfo(cards[c].under[kind], &info);
  out[1] = memcmp(lic + 4, info.model, 16) == 0 && memcmp(lic + 20, info.serialNumber, 16) == 0;
  today(now);
  int started = !memcmp(lic + 36, "00000000", 8) || memcmp(lic + 36, now, 8) <= 0;
  int not_ended = !memcmp(lic + 44, "00000000", 8) || memcmp(now, lic + 44, 8) <= 0;
  out[2] = started && not_ended;
}

static CK_RV v_SetAttributeValue(CK_SESSION_HANDLE h, CK_OBJECT_HANDLE o, CK_ATTRIBUTE_PTR t, CK_ULONG n) {
  if (o != 0 || n != 1 || t[0].type != LICENSE_ATTRIBUTE) return hsm->C_SetAttributeValue(h, o, t, n);
  int kind, c = session_card(h, &kind);
  if (c < 0) return CKR_SESSION_HANDLE_INVALID;
  log_call("C_SetAttributeValue license slot=%d", c * 2 + kind);
  if (!cards[c].user_logged_in[kind]) return CKR_USER_NOT_LOGGED_IN;
  if (t[0].ulValueLen != 128 || !t[0].pValue) return CKR_ATTRIBUTE_VALUE_INVALID;
  char path[700];
  license_path(c, kind, path, sizeof path);
  FILE *f = fopen(path, "wb");
  if (!f) return CKR_DEVICE_ERROR;
  fwrite(t[0].pValue, 1, 128, f);
  fclose(f);
  return CKR_OK;
}

static CK_RV v_GetAttributeValue(CK_SESSION_HANDLE h, CK_OBJECT_HANDLE o, CK_ATTRIBUTE_PTR t, CK_ULONG n) {
  if (o != 0 || n != 1 || t[0].type != LICENSE_ATTRIBUTE) return hsm->C_GetAttributeValue(h, o, t, n);
  int kind, c = session_card(h, &kind);
  if (c < 0) return CKR_SESSION_HANDLE_INVALID;
  log_call("C_GetAttributeValue license slot=%d", c * 2 + kind);
  if (!t[0].pValue) { t[0].ulValueLen = 19; return CKR_OK; }
  if (t[0].ulValueLen < 19) return CKR_BUFFER_TOO_SMALL;
  license_status(c, kind, t[0].pValue);
  t[0].ulValueLen = 19;
  return CKR_OK;
}

/* Calls that take a slot id: translate our virtual slot to SoftHSM's. */
static CK_RV v_GetMechanismList(CK_SLOT_ID id, CK_MECHANISM_TYPE_PTR list, CK_ULONG_PTR count) {
  int kind, c = slot_card(id, &kind);
  return c < 0 ? CKR_SLOT_ID_INVALID : hsm->C_GetMechanismList(cards[c].under[kind], list, count);
}

static CK_RV v_GetMechanismInfo(CK_SLOT_ID id, CK_MECHANISM_TYPE type, CK_MECHANISM_INFO_PTR info) {
  int kind, c = slot_card(id, &kind);
  return c < 0 ? CKR_SLOT_ID_INVALID : hsm->C_GetMechanismInfo(cards[c].under[kind], type, info);
}

static CK_RV v_CloseAllSessions(CK_SLOT_ID id) {
  int kind, c = slot_card(id, &kind);
  return c < 0 ? CKR_SLOT_ID_INVALID : hsm->C_CloseAllSessions(cards[c].under[kind]);
}

CK_RV C_GetFunctionList(CK_FUNCTION_LIST_PTR_PTR out) {
  if (!hsm) {
    const char *path = getenv("CARDFLEET_SOFTHSM");
    void *lib = dlopen(path ? path : "/usr/lib/softhsm/libsofthsm2.so", RTLD_NOW | RTLD_LOCAL);
    if (!lib) return CKR_GENERAL_ERROR;
    CK_C_GetFunctionList get = (CK_C_GetFunctionList)dlsym(lib, "C_GetFunctionList");
    if (!get || get(&hsm) != CKR_OK) return CKR_GENERAL_ERROR;
    ours = *hsm;
    ours.C_Initialize = v_Initialize;
    ours.C_GetSlotList = v_GetSlotList;
    ours.C_GetSlotInfo = v_GetSlotInfo;
    ours.C_GetTokenInfo = v_GetTokenInfo;
    ours.C_InitToken = v_InitToken;
    ours.C_OpenSession = v_OpenSession;
    ours.C_CloseSession = v_CloseSession;
    ours.C_Login = v_Login;
    ours.C_Logout = v_Logout;
    ours.C_SetPIN = v_SetPIN;
    ours.C_InitPIN = v_InitPIN;
    ours.C_CreateObject = v_CreateObject;
    ours.C_GenerateKeyPair = v_GenerateKeyPair;
    ours.C_SetAttributeValue = v_SetAttributeValue;
    ours.C_GetAttributeValue = v_GetAttributeValue;
    ours.C_GetMechanismList = v_GetMechanismList;
    ours.C_GetMechanismInfo = v_GetMechanismInfo;
    ours.C_CloseAllSessions = v_CloseAllSessions;
  }
  *out = &ours;
  return CKR_OK;
}
