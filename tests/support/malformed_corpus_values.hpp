#pragma once
// Wrong JSON values for each kind of field of the malformed corpus
// (malformed_corpus_endpoints.hpp uses them per endpoint): wrong types, out
// of range, unknown, too long, and numbers beyond what JSON parsers agree on.

#include <fmt/format.h>

#include <string>
#include <vector>

namespace flightbook::testing::corpus {

/// Why a value is wrong; decides what validate must answer (SPEC §4: a
/// well-formed body always gets 200, so a well-typed wrong value is
/// `valid:false`, not 400).
enum class Wrong {
    kType,   ///< JSON type the field does not take → 400 everywhere
    kValue,  ///< right JSON type, value out of range or unknown
    kEither  ///< numbers whose type is debatable (beyond int64, 1e400)
};

struct BadValue {
    std::string json;
    Wrong wrong;
};

inline std::vector<BadValue> bad_ids() {
    return {{"null", Wrong::kType},
            {"true", Wrong::kType},
            {R"("1")", Wrong::kType},
            {R"("")", Wrong::kType},
            {"1.5", Wrong::kType},
            {"-1.5", Wrong::kType},
            {"[]", Wrong::kType},
            {"[1]", Wrong::kType},
            {"{}", Wrong::kType},
            {R"({"id":1})", Wrong::kType},
            {R"("1; DROP TABLE flights")", Wrong::kType},
            {"0", Wrong::kValue},
            {"-1", Wrong::kValue},
            {"-9223372036854775808", Wrong::kValue},
            {"9223372036854775808", Wrong::kEither},
            {"99999999999999999999", Wrong::kEither},
            {"-99999999999999999999", Wrong::kEither},
            {"1e400", Wrong::kEither},
            {"-1e400", Wrong::kEither},
            {"1e20", Wrong::kEither}};
}

inline std::vector<BadValue> bad_seats() {
    return {{"null", Wrong::kType},
            {"true", Wrong::kType},
            {R"("2")", Wrong::kType},
            {R"("two")", Wrong::kType},
            {"2.5", Wrong::kType},
            {"[]", Wrong::kType},
            {"[2]", Wrong::kType},
            {"{}", Wrong::kType},
            {"0", Wrong::kValue},
            {"-1", Wrong::kValue},
            {"-2", Wrong::kValue},
            {"101", Wrong::kValue},
            {"1000", Wrong::kValue},
            {"2147483647", Wrong::kValue},
            {"2147483648", Wrong::kValue},
            {"-2147483649", Wrong::kValue},
            {"4294967298", Wrong::kValue},
            {"9223372036854775807", Wrong::kValue},
            {"-9223372036854775808", Wrong::kValue},
            {"99999999999999999999", Wrong::kEither},
            {"1e400", Wrong::kEither},
            {"1e10", Wrong::kEither}};
}

inline std::vector<BadValue> bad_dates(std::size_t max_length) {
    std::vector<BadValue> v = {
        {"null", Wrong::kType},
        {"20240215", Wrong::kType},
        {"true", Wrong::kType},
        {"[]", Wrong::kType},
        {R"(["2024-02-15"])", Wrong::kType},
        {"{}", Wrong::kType},
        {R"("")", Wrong::kValue},
        {R"("2024-02-30")", Wrong::kValue},
        {R"("2023-02-29")", Wrong::kValue},
        {R"("2024-13-01")", Wrong::kValue},
        {R"("2024-00-10")", Wrong::kValue},
        {R"("2024-02-00")", Wrong::kValue},
        {R"("2024-2-15")", Wrong::kValue},
        {R"("15-02-2024")", Wrong::kValue},
        {R"("2024/02/15")", Wrong::kValue},
        {R"("2024-02-15T08:00:00Z")", Wrong::kValue},
        {R"(" 2024-02-15")", Wrong::kValue},
        {R"("2024-02-15 ")", Wrong::kValue},
        {R"("2024-02-15\u0000")", Wrong::kValue},
        {R"("2024-02-15\n")", Wrong::kValue},
        {"\"\xef\xbc\x92\xef\xbc\x90\xef\xbc\x92\xef\xbc\x94-02-15\"", Wrong::kValue},
        {R"("+2024-02-15")", Wrong::kValue},
        {R"("-2024-02-15")", Wrong::kValue},
        {R"("99999-02-15")", Wrong::kValue},
        {R"("0000-00-00")", Wrong::kValue},
        {R"("today")", Wrong::kValue},
        {R"("2024-02-1a")", Wrong::kValue}};
    // Past the field's length limit: a 400 even where a shorter string is not.
    v.push_back({"\"" + std::string(max_length + 1, '2') + "\"", Wrong::kEither});
    v.push_back({"\"" + std::string(100000, 'd') + "\"", Wrong::kEither});
    return v;
}

inline std::vector<BadValue> bad_reservation_ids() {
    return {{"null", Wrong::kType},
            {"true", Wrong::kType},
            {"1.5", Wrong::kType},
            {"[]", Wrong::kType},
            {R"(["r1"])", Wrong::kType},
            {"{}", Wrong::kType},
            {R"("")", Wrong::kValue},
            {R"("a b")", Wrong::kValue},
            {R"("r/1")", Wrong::kValue},
            {R"("../../etc/passwd")", Wrong::kValue},
            {R"("r1\u0000")", Wrong::kValue},
            {R"("r\n1")", Wrong::kValue},
            {"\"caf\xc3\xa9\"", Wrong::kValue},
            {R"("'; DROP TABLE reservations; --")", Wrong::kValue},
            {"\"" + std::string(65, 'r') + "\"", Wrong::kValue},
            {"\"" + std::string(5000, 'r') + "\"", Wrong::kValue}};
}

inline std::vector<BadValue> bad_payment_types() {
    return {{"1", Wrong::kType},
            {"true", Wrong::kType},
            {"[]", Wrong::kType},
            {R"(["upi"])", Wrong::kType},
            {"{}", Wrong::kType},
            {R"("")", Wrong::kValue},
            {R"("bitcoin")", Wrong::kValue},
            {R"("credit card")", Wrong::kValue},
            {R"("upi\u0000")", Wrong::kValue},
            {R"("upi ")", Wrong::kValue},
            {"\"" + std::string(65, 'u') + "\"", Wrong::kValue}};
}

inline std::vector<BadValue> bad_amounts() {
    return {{"null", Wrong::kType},
            {"true", Wrong::kType},
            // A string holding a number is a valid amount (docs/payments.md).
            {R"("100.001")", Wrong::kValue},
            {R"("-100.00")", Wrong::kValue},
            {R"("1e2")", Wrong::kValue},
            {R"(" 100.00")", Wrong::kValue},
            {R"("INR 100")", Wrong::kValue},
            {R"("")", Wrong::kValue},
            {"[]", Wrong::kType},
            {"[100]", Wrong::kType},
            {"{}", Wrong::kType},
            {"0", Wrong::kValue},
            {"0.00", Wrong::kValue},
            {"-0.0", Wrong::kValue},
            {"-1", Wrong::kValue},
            {"-0.01", Wrong::kValue},
            {"0.001", Wrong::kValue},
            {"100.005", Wrong::kValue},
            {"1e-9", Wrong::kValue},
            {"100000000", Wrong::kValue},
            {"1000000000000", Wrong::kValue},
            {"9223372036854775807", Wrong::kValue},
            {"99999999999999999999", Wrong::kEither},
            {"1e400", Wrong::kEither},
            {"-1e400", Wrong::kEither}};
}

inline std::vector<BadValue> bad_flight_id_lists() {
    std::string thousand = "[";
    for (int i = 0; i < 1000; ++i) thousand += i == 0 ? "1" : ",1";
    thousand += "]";
    return {{"1", Wrong::kType},
            {R"("[8,9]")", Wrong::kType},
            {"{}", Wrong::kType},
            {"true", Wrong::kType},
            {"[]", Wrong::kValue},
            {"[0]", Wrong::kValue},
            {"[-1]", Wrong::kValue},
            {"[8,0]", Wrong::kValue},
            {R"(["8","9"])", Wrong::kValue},
            {"[8.5,9]", Wrong::kValue},
            {"[null]", Wrong::kValue},
            {"[8,null]", Wrong::kValue},
            {"[[8],[9]]", Wrong::kValue},
            {"[{},{}]", Wrong::kValue},
            {"[8,8]", Wrong::kValue},
            {"[8,9,8]", Wrong::kValue},
            {"[1,6,9,15,2]", Wrong::kValue},
            {"[8,99999999999999999999]", Wrong::kValue},
            {thousand, Wrong::kValue}};
}

inline std::vector<BadValue> bad_legs() {
    std::string nine = "[";
    for (int i = 0; i < 9; ++i)
        nine += fmt::format("{}{{\"flight_id\":{},\"seats\":1}}", i ? "," : "", i + 1);
    nine += "]";
    return {{"null", Wrong::kType},
            {R"("legs")", Wrong::kType},
            {"1", Wrong::kType},
            {"{}", Wrong::kType},
            {R"({"flight_id":1,"seats":1})", Wrong::kType},
            {"[]", Wrong::kValue},
            {"[1]", Wrong::kValue},
            {"[null]", Wrong::kValue},
            {"[{}]", Wrong::kValue},
            {"[[1,1]]", Wrong::kValue},
            {R"([{"flight_id":1}])", Wrong::kValue},
            {R"([{"seats":1}])", Wrong::kValue},
            {R"([{"flight_id":"1","seats":1}])", Wrong::kValue},
            {R"([{"flight_id":1,"seats":"1"}])", Wrong::kValue},
            {R"([{"flight_id":1,"seats":0}])", Wrong::kValue},
            {R"([{"flight_id":1,"seats":-1}])", Wrong::kValue},
            {R"([{"flight_id":1,"seats":101}])", Wrong::kValue},
            {R"([{"flight_id":0,"seats":1}])", Wrong::kValue},
            {R"([{"flight_id":999999,"seats":1}])", Wrong::kValue},
            {R"([{"flight_id":1,"seats":1,"flight_id":2}])", Wrong::kValue},
            {R"([{"flight_id":1,"seats":1},{"flight_id":999999,"seats":1}])", Wrong::kValue},
            {nine, Wrong::kValue}};
}

inline std::vector<BadValue> bad_ttls() {
    return {{R"("60")", Wrong::kType}, {"1.5", Wrong::kType},
            {"true", Wrong::kType},    {"[]", Wrong::kType},
            {"{}", Wrong::kType},      {"0", Wrong::kValue},
            {"-1", Wrong::kValue},     {"2147483648", Wrong::kValue},
            {"1e400", Wrong::kValue},  {"-9223372036854775808", Wrong::kValue}};
}

}  // namespace flightbook::testing::corpus
