// The C interface of include/CPhoneNumbers.h over libphonenumber's C++ API.
#include "CPhoneNumbers.h"

#include <cstdlib>
#include <cstring>
#include <memory>
#include <set>
#include <string>

#include <unicode/locid.h>
#include <unicode/utf8.h>

#include <phonenumbers/asyoutypeformatter.h>
#include <phonenumbers/geocoding/phonenumber_offline_geocoder.h>
#include <phonenumbers/logger.h>
#include <phonenumbers/phonenumber.pb.h>
#include <phonenumbers/phonenumberutil.h>

using i18n::phonenumbers::AsYouTypeFormatter;
using i18n::phonenumbers::NullLogger;
using i18n::phonenumbers::PhoneNumber;
using i18n::phonenumbers::PhoneNumberOfflineGeocoder;
using i18n::phonenumbers::PhoneNumberUtil;

namespace {

// libphonenumber's own singleton, muted once: its logger writes to stdout, which the terminal UI
// owns. The function-local static runs its initialiser once even when threads race (C++11).
const PhoneNumberUtil &util() {
    static const PhoneNumberUtil *instance = [] {
        PhoneNumberUtil *u = PhoneNumberUtil::GetInstance();
        u->SetLogger(new NullLogger());  // takes ownership
        return u;
    }();
    return *instance;
}

// One geocoder for the process, created once like util(); it guards its lazily loaded prefix maps
// with its own mutex, so concurrent lookups are safe.
const PhoneNumberOfflineGeocoder &geocoder() {
    util();  // mute the logger before the geocoder first uses PhoneNumberUtil
    static const PhoneNumberOfflineGeocoder *instance = new PhoneNumberOfflineGeocoder();
    return *instance;
}

char *copy(const std::string &s) {
    char *out = static_cast<char *>(std::malloc(s.size() + 1));
    if (out) std::memcpy(out, s.c_str(), s.size() + 1);
    return out;
}

std::string orEmpty(const char *s) { return s ? std::string(s) : std::string(); }

cpn_parse_error parseError(PhoneNumberUtil::ErrorType e) {
    switch (e) {
    case PhoneNumberUtil::NO_PARSING_ERROR: return CPN_PARSE_OK;
    case PhoneNumberUtil::INVALID_COUNTRY_CODE_ERROR: return CPN_PARSE_INVALID_COUNTRY_CODE;
    case PhoneNumberUtil::NOT_A_NUMBER: return CPN_PARSE_NOT_A_NUMBER;
    case PhoneNumberUtil::TOO_SHORT_AFTER_IDD: return CPN_PARSE_TOO_SHORT_AFTER_IDD;
    case PhoneNumberUtil::TOO_SHORT_NSN: return CPN_PARSE_TOO_SHORT;
    case PhoneNumberUtil::TOO_LONG_NSN: return CPN_PARSE_TOO_LONG;
    }
    return CPN_PARSE_NOT_A_NUMBER;
}

cpn_possibility possibility(PhoneNumberUtil::ValidationResult v) {
    switch (v) {
    case PhoneNumberUtil::IS_POSSIBLE: return CPN_POSSIBLE;
    case PhoneNumberUtil::IS_POSSIBLE_LOCAL_ONLY: return CPN_POSSIBLE_LOCAL_ONLY;
    case PhoneNumberUtil::INVALID_COUNTRY_CODE: return CPN_POSSIBLE_INVALID_COUNTRY_CODE;
    case PhoneNumberUtil::TOO_SHORT: return CPN_POSSIBLE_TOO_SHORT;
    case PhoneNumberUtil::INVALID_LENGTH: return CPN_POSSIBLE_INVALID_LENGTH;
    case PhoneNumberUtil::TOO_LONG: return CPN_POSSIBLE_TOO_LONG;
    }
    return CPN_POSSIBLE_INVALID_LENGTH;
}

int countDigits(const std::string &text) {
    std::string digits = text;
    util().NormalizeDigitsOnly(&digits);  // keeps decimal digits of any script, as ASCII
    return static_cast<int>(digits.size());
}

// Parses with libphonenumber; "" and NULL regions become its unknown region "ZZ".
PhoneNumberUtil::ErrorType parse(const char *text, const char *region, PhoneNumber *number) {
    std::string r = orEmpty(region);
    return util().Parse(orEmpty(text), r.empty() ? std::string("ZZ") : r, number);
}

}  // namespace

extern "C" {

cpn_parse_result cpn_parse(const char *text, const char *default_region) {
    cpn_parse_result result;
    std::memset(&result, 0, sizeof result);
    try {
        result.input_digits = countDigits(orEmpty(text));
        PhoneNumber number;
        result.error = parseError(parse(text, default_region, &number));
        if (result.error != CPN_PARSE_OK) return result;

        const PhoneNumberUtil &u = util();
        result.country_code = number.country_code();
        std::string nsn;
        u.GetNationalSignificantNumber(number, &nsn);
        result.national_digits = static_cast<int>(nsn.size());
        result.possibility = possibility(u.IsPossibleNumberWithReason(number));
        result.is_valid = u.IsValidNumber(number);

        std::string region;
        u.GetRegionCodeForNumber(number, &region);
        if (!region.empty() && region != "ZZ") result.region_code = copy(region);
        if (number.has_extension() && !number.extension().empty())
            result.extension = copy(number.extension());

        // Formats without " ext. 12". (Built from the number's scalar fields: clearing a string
        // field would call into libprotobuf, which we do not link.)
        PhoneNumber bare;
        bare.set_country_code(number.country_code());
        bare.set_national_number(number.national_number());
        if (number.has_italian_leading_zero())
            bare.set_italian_leading_zero(number.italian_leading_zero());
        if (number.has_number_of_leading_zeros())
            bare.set_number_of_leading_zeros(number.number_of_leading_zeros());
        std::string s;
        u.Format(bare, PhoneNumberUtil::E164, &s);
        result.e164 = copy(s);
        u.Format(bare, PhoneNumberUtil::INTERNATIONAL, &s);
        result.international = copy(s);
        u.Format(bare, PhoneNumberUtil::NATIONAL, &s);
        result.national = copy(s);
    } catch (...) {
        cpn_parse_result_release(&result);
        result.error = CPN_PARSE_NOT_A_NUMBER;
    }
    return result;
}

void cpn_parse_result_release(cpn_parse_result *result) {
    if (!result) return;
    char **strings[] = {&result->e164, &result->extension, &result->region_code,
                        &result->international, &result->national};
    for (char **s : strings) {
        std::free(*s);
        *s = nullptr;
    }
}

void cpn_free(void *pointer) { std::free(pointer); }

unsigned int cpn_possible_lengths(int country_code) {
    unsigned int mask = 0;
    try {
        // IsPossibleNumberWithReason looks only at the length of the national number, so probing one
        // number of each length gives the country's possible lengths.
        unsigned long long national = 1;
        for (int n = 1; n <= 17; n++, national *= 10) {
            PhoneNumber probe;
            probe.set_country_code(country_code);
            probe.set_national_number(national);
            if (util().IsPossibleNumberWithReason(probe) == PhoneNumberUtil::IS_POSSIBLE)
                mask |= 1u << n;
        }
    } catch (...) {
        return 0;
    }
    return mask;
}

struct cpn_formatter {
    std::unique_ptr<AsYouTypeFormatter> formatter;
};

cpn_formatter *cpn_formatter_create(const char *region) {
    try {
        std::string r = orEmpty(region);
        std::unique_ptr<cpn_formatter> f(new cpn_formatter);
        f->formatter.reset(util().GetAsYouTypeFormatter(r.empty() ? std::string("ZZ") : r));
        return f->formatter ? f.release() : nullptr;
    } catch (...) {
        return nullptr;
    }
}

char *cpn_formatter_input(cpn_formatter *formatter, unsigned int scalar) {
    if (!formatter) return nullptr;
    try {
        std::string out;
        formatter->formatter->InputDigit(static_cast<i18n::phonenumbers::char32>(scalar), &out);
        return copy(out);
    } catch (...) {
        return nullptr;
    }
}

void cpn_formatter_clear(cpn_formatter *formatter) {
    if (formatter) formatter->formatter->Clear();
}

void cpn_formatter_destroy(cpn_formatter *formatter) { delete formatter; }

char *cpn_format_as_you_type(const char *text, const char *region) {
    try {
        std::unique_ptr<cpn_formatter> f(cpn_formatter_create(region));
        if (!f) return nullptr;
        std::string in = orEmpty(text), out;
        const uint8_t *bytes = reinterpret_cast<const uint8_t *>(in.data());
        int32_t i = 0, length = static_cast<int32_t>(in.size());
        while (i < length) {
            UChar32 c;
            U8_NEXT(bytes, i, length, c);
            if (c < 0) c = 0xFFFD;  // malformed UTF-8
            f->formatter->InputDigit(static_cast<i18n::phonenumbers::char32>(c), &out);
        }
        return copy(out);
    } catch (...) {
        return nullptr;
    }
}

char *cpn_describe_place(const char *text, const char *default_region, const char *locale) {
    try {
        PhoneNumber number;
        if (parse(text, default_region, &number) != PhoneNumberUtil::NO_PARSING_ERROR)
            return copy("");
        icu::Locale language(orEmpty(locale).c_str());
        return copy(geocoder().GetDescriptionForNumber(number, language));
    } catch (...) {
        return nullptr;
    }
}

char *cpn_region_for_country_code(int country_code) {
    try {
        std::string region;
        util().GetRegionCodeForCountryCode(country_code, &region);
        if (region.empty() || region == "ZZ") return nullptr;
        return copy(region);
    } catch (...) {
        return nullptr;
    }
}

bool cpn_is_known_region(const char *region) {
    if (!region || !*region) return false;
    try {
        static const std::set<std::string> regions = [] {
            std::set<std::string> all;
            util().GetSupportedRegions(&all);
            return all;
        }();
        return regions.count(region) != 0;
    } catch (...) {
        return false;
    }
}

char *cpn_supported_regions(void) {
    try {
        std::set<std::string> all;
        util().GetSupportedRegions(&all);
        std::string joined;
        for (const auto &r : all) {
            if (!joined.empty()) joined += ",";
            joined += r;
        }
        return copy(joined);
    } catch (...) {
        return nullptr;
    }
}

int cpn_country_code_for_region(const char *region) {
    if (!region || !*region) return 0;
    try {
        return util().GetCountryCodeForRegion(region);
    } catch (...) {
        return 0;
    }
}

}  // extern "C"
