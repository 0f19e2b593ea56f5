/* sha256.h - SHA-256 (FIPS 180-4): the source hash kept in .slbc files. */
#ifndef SLAC_SHA256_H
#define SLAC_SHA256_H

#include <stddef.h>
#include <stdint.h>

/* SHA-256 of BYTES into DIGEST. */
void slac_sha256(const uint8_t *bytes, size_t size, uint8_t digest[32]);

#endif
