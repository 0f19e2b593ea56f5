/* currency.h - ISO 4217 minor units: how many decimals an amount in a
 * currency is rounded to (USD 2, JPY 0, BHD 3, CLF 4).
 *
 * The table is ISO 4217 list one (current currency & funds codes) as
 * published by the maintenance agency (SIX) on 2026-01-01: 165 codes.
 * Not included, so -1:
 *  - codes whose minor unit is "N.A." (XAG, XAU, XBA, XBB, XBC, XBD, XDR,
 *    XPD, XPT, XSU, XTS, XUA, XXX): they have no amount to round;
 *  - withdrawn codes, including recent ones such as ANG (now XCG), BGN
 *    (euro from 2026), CUC, HRK, SLL (now SLE) and ZWL (now ZWG).
 */
#ifndef SLAC_CURRENCY_H
#define SLAC_CURRENCY_H

/* Minor-unit digits (0..4) of the alphabetic code CODE (exactly three
 * upper-case ASCII letters, not NUL-terminated), or -1 when CODE is not a
 * current ISO 4217 code with a minor unit (lower case is not accepted).
 * CODE may be NULL (-1). */
int slac_currency_digits(const char code[3]);

#endif
