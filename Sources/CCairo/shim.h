// Cairo's core API and its PDF surface (Debian: libcairo2-dev; Homebrew: cairo).
#ifndef BMET_CCAIRO_SHIM_H
#define BMET_CCAIRO_SHIM_H
#include <cairo.h>
#include <cairo-pdf.h>
#endif
