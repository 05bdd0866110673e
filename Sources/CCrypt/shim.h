// libxcrypt (Debian libcrypt1 / libcrypt-dev): the system's password hashing, including bcrypt.
#include <crypt.h>
