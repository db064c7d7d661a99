/* Exercises the CTorch shim's success and error paths under AddressSanitizer/LeakSanitizer (scripts/asan.sh):
 * creation and frees, shape errors, NULL handles, outputs of failed calls, backward, state save/load round trips,
 * corrupt buffers, missing files.
 * Run with `--leak` to check that a forgotten free is reported. Exits 1 when a call that must fail succeeds or one that must succeed fails. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "CTorch.h"

static int failures = 0;

static void expect_error(const char *what, int failed) {
    char *message = ct_error_take();
    if (!failed || message == NULL) { fprintf(stderr, "FAIL: %s should have failed\n", what); failures++; }
    free(message);
}

static void expect_ok(const char *what, int ok) {
    char *message = ct_error_take();
    if (!ok) { fprintf(stderr, "FAIL: %s: %s\n", what, message ? message : "(no message)"); failures++; }
    free(message);
}

int main(int argc, char **argv) {
    const char *folder = argc > 1 ? argv[1] : "/tmp";
    /* --leak forgets one tensor per round: the script must then fail (a check that leak detection is live). */
    int leak = argc > 2 && strcmp(argv[2], "--leak") == 0;
    char path[4096];
    snprintf(path, sizeof path, "%s/asan-state.pt", folder);
    for (int round = 0; round < 200; round++) {
        int64_t shape[2] = {4, 3}, other[2] = {5, 7};
        float values[12];
        for (int i = 0; i < 12; i++) values[i] = (float)i;
        ct_tensor a = ct_tensor_from_blob(values, shape, 2, CT_FLOAT32);
        ct_tensor b = ct_tensor_randn(other, 2, CT_FLOAT32);
        expect_ok("from_blob", a != NULL);
        /* Shape mismatch: an error message, no exception crossing, no leak. */
        ct_tensor bad = ct_tensor_binary(a, b, CT_MATMUL);
        expect_error("matmul of 4x3 by 5x7", bad == NULL);
        ct_tensor_free(bad);
        ct_tensor bad_view = ct_tensor_view(a, other, 2);
        expect_error("view of 12 values as 5x7", bad_view == NULL);
        /* The contract: NULL handles and short buffers are errors, and a failing call writes (and leaks) no output. */
        expect_error("requires_grad of a NULL handle", ct_autograd_set_requires_grad(NULL, 1) == -1);
        expect_error("count of a NULL state", ct_state_count(NULL) == -1);
        int64_t one_size[1];
        expect_error("shape into a buffer for 1 of 2 dimensions", ct_tensor_shape(a, one_size, 1) == -1);
        ct_tensor weights = NULL;
        ct_tensor attended = ct_nn_attention(a, a, b, NULL, 0, 0, &weights);
        expect_error("attention whose value does not fit the weights", attended == NULL && weights == NULL);
        /* Autograd: backward through a small graph, then free everything. */
        expect_ok("requires_grad", ct_autograd_set_requires_grad(a, 1) == 0);
        ct_tensor squared = ct_tensor_binary(a, a, CT_MUL);
        int64_t all[2] = {0, 1};
        ct_tensor total = ct_tensor_reduce(squared, CT_SUM, all, 2, 0, 0);
        expect_ok("backward", ct_autograd_backward(total, NULL, 0) == 0);
        ct_tensor grad = NULL;
        expect_ok("grad", ct_autograd_grad(a, &grad) == 0 && grad != NULL);
        /* State dicts: save to a file and a buffer, load both, then corrupt buffers and missing files. */
        const char *names[2] = {"a", "b"};
        ct_tensor tensors[2] = {a, b};
        expect_ok("state_save", ct_state_save(path, names, tensors, 2) == 0);
        ct_state loaded = ct_state_load(path);
        expect_ok("state_load", loaded != NULL && ct_state_count(loaded) == 2);
        if (loaded) {
            ct_tensor first = ct_state_tensor(loaded, 0);
            ct_tensor_free(first);
            ct_state_free(loaded);
        }
        size_t size = 0;
        void *buffer = ct_state_save_buffer(names, tensors, 2, &size);
        expect_ok("state_save_buffer", buffer != NULL && size > 0);
        if (buffer) {
            ct_state from_buffer = ct_state_load_buffer(buffer, size);
            expect_ok("state_load_buffer", from_buffer != NULL);
            ct_state_free(from_buffer);
            ct_state truncated = ct_state_load_buffer(buffer, size / 2);
            expect_error("load of a truncated buffer", truncated == NULL);
            ct_state_free(truncated);
            memset((char *)buffer + size / 3, 0x5A, size / 3);
            ct_state garbage = ct_state_load_buffer(buffer, size);
            if (garbage == NULL) free(ct_error_take()); else ct_state_free(garbage);
            free(buffer);
        }
        ct_state missing = ct_state_load("/nonexistent/asan-state.pt");
        expect_error("load of a missing file", missing == NULL);
        expect_error("save into a missing folder", ct_state_save("/nonexistent/x.pt", names, tensors, 2) != 0);
        char *described = ct_tensor_describe(b);
        free(described);
        ct_tensor_free(grad);
        ct_tensor_free(total);
        ct_tensor_free(squared);
        ct_tensor_free(a);
        if (!leak) ct_tensor_free(b);
    }
    remove(path);
    if (failures) { fprintf(stderr, "%d checks failed\n", failures); return 1; }
    printf("asan driver: 200 rounds of creation, shape errors, backward, state save/load and corrupt input: clean\n");
    return 0;
}
