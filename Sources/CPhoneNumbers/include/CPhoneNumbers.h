/*
 * CPhoneNumbers: a small C interface over Google's libphonenumber (Debian libphonenumber-dev,
 * 8.12), so Swift can use it without C++ interop. Pure C; all strings are UTF-8.
 *
 * Ownership: every char* this interface returns is malloc'd and owned by the caller, who frees it
 * with cpn_free (NULL is allowed). A cpn_parse_result's strings are released together by
 * cpn_parse_result_release. Nothing returned points into libphonenumber's memory.
 *
 * Threads: every function may be called from any thread at the same time. The libphonenumber
 * PhoneNumberUtil and the offline geocoder are process-wide singletons created once, on first
 * use (C++ function-local statics). A cpn_formatter is not shared: use one per thread or lock it.
 *
 * Failure: functions never throw; when memory runs out, strings come back NULL (and cpn_parse says
 * CPN_PARSE_NOT_A_NUMBER).
 */
#ifndef CPHONENUMBERS_H
#define CPHONENUMBERS_H

#include <stdbool.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Why libphonenumber's Parse refused the text (its PhoneNumberUtil::ErrorType). */
typedef enum cpn_parse_error {
    CPN_PARSE_OK = 0,
    CPN_PARSE_NOT_A_NUMBER = 1,           /* no phone number in the text (letters, too few digits) */
    CPN_PARSE_INVALID_COUNTRY_CODE = 2,   /* bad code after + or the IDD, or no/unknown default region */
    CPN_PARSE_TOO_SHORT_AFTER_IDD = 3,    /* nothing usable after the international prefix */
    CPN_PARSE_TOO_SHORT = 4,              /* national significant number under 2 digits */
    CPN_PARSE_TOO_LONG = 5,               /* national significant number over 17 digits */
} cpn_parse_error;

/* Whether a parsed number's length fits its country (PhoneNumberUtil::ValidationResult). */
typedef enum cpn_possibility {
    CPN_POSSIBLE = 0,                 /* a possible length for the country */
    CPN_POSSIBLE_LOCAL_ONLY = 1,      /* dialable only locally (no area code) */
    CPN_POSSIBLE_INVALID_COUNTRY_CODE = 2,
    CPN_POSSIBLE_TOO_SHORT = 3,       /* shorter than every length the country uses */
    CPN_POSSIBLE_INVALID_LENGTH = 4,  /* between the shortest and longest but not one of them */
    CPN_POSSIBLE_TOO_LONG = 5,        /* longer than every length the country uses */
} cpn_possibility;

/* The answer of cpn_parse. When error != CPN_PARSE_OK only error and input_digits are set and all
 * strings are NULL. */
typedef struct cpn_parse_result {
    cpn_parse_error error;
    int input_digits;            /* decimal digits in the text (any script), letters not counted */
    int country_code;            /* country calling code, e.g. 1, 44 */
    int national_digits;         /* digits in the national significant number */
    cpn_possibility possibility; /* length check for the country */
    bool is_valid;               /* libphonenumber's IsValidNumber (length and number ranges) */
    char *e164;                  /* "+14155550142", never with an extension */
    char *extension;             /* "12", or NULL when none */
    char *region_code;           /* "US"; "001" for non-geographic codes; NULL when unknown ("ZZ") */
    char *international;         /* "+1 415-555-0142", without the extension */
    char *national;              /* "(415) 555-0142", without the extension */
} cpn_parse_result;

/* Parses text (UTF-8; full-width digits, spaces, dashes, dots, parentheses and vanity letters are
 * accepted per libphonenumber) with default_region ("US"; NULL or "" for none) used when the text has
 * no + or international prefix. Release the result with cpn_parse_result_release. */
cpn_parse_result cpn_parse(const char *text, const char *default_region);

/* Frees the result's strings and sets them to NULL. Safe to call twice. */
void cpn_parse_result_release(cpn_parse_result *result);

/* Frees a string returned by this interface. */
void cpn_free(void *pointer);

/* Bit n (1 <= n <= 17) set when a national significant number of n digits is a possible length
 * (IS_POSSIBLE) for country_code; 0 for an unknown code. */
unsigned int cpn_possible_lengths(int country_code);

/* As-you-type formatting (AsYouTypeFormatter). */
typedef struct cpn_formatter cpn_formatter;

/* A formatter for region ("US"; unknown regions format without national rules). NULL on no memory.
 * Destroy with cpn_formatter_destroy. */
cpn_formatter *cpn_formatter_create(const char *region);
/* Feeds one character (a Unicode scalar) and returns the whole text formatted so far (caller frees). */
char *cpn_formatter_input(cpn_formatter *formatter, unsigned int scalar);
/* Forgets everything fed so far. */
void cpn_formatter_clear(cpn_formatter *formatter);
void cpn_formatter_destroy(cpn_formatter *formatter);

/* Feeds every character of text (UTF-8) to a fresh formatter for region and returns the last
 * answer (caller frees); "" for empty text. */
char *cpn_format_as_you_type(const char *text, const char *region);

/* The offline geocoder's description (a city, area or country name) of the number in text, parsed
 * with default_region, in locale ("en", "en_US", "pt_PT"). "" when it has none or the number does not
 * parse or is not valid. Caller frees. */
char *cpn_describe_place(const char *text, const char *default_region, const char *locale);

/* The main region for a country calling code ("US" for 1, "GB" for 44, "001" for non-geographic
 * codes such as 800); NULL when unknown. Caller frees. */
char *cpn_region_for_country_code(int country_code);

/* True when libphonenumber has metadata for region (an upper-case CLDR code such as "US"). */
bool cpn_is_known_region(const char *region);

/* Every region libphonenumber has metadata for, as "AD,AE,AF,…" (sorted); NULL on failure. Caller frees. */
char *cpn_supported_regions(void);

/* The country calling code of region (1 for "US", 44 for "GB"); 0 when unknown. */
int cpn_country_code_for_region(const char *region);

#ifdef __cplusplus
}
#endif

#endif /* CPHONENUMBERS_H */
