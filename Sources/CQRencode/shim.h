// libqrencode (Debian: libqrencode-dev; Homebrew: qrencode).
#ifndef BMET_CQRENCODE_SHIM_H
#define BMET_CQRENCODE_SHIM_H
#include <qrencode.h>
#endif
