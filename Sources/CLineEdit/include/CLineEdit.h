#ifndef CLINEEDIT_H
#define CLINEEDIT_H
/* A small C layer over libedit: its variadic calls cannot be made from Swift. */
int cle_version(void);
#endif
