#define _GNU_SOURCE
#include "CLoaderPages.h"

#include <elf.h>
#include <link.h>
#include <stdint.h>
#include <sys/mman.h>
#include <unistd.h>

struct release_request {
    size_t min_bytes;
    size_t released;
};

// True when [start, end) lies inside one loadable segment of `info` that is not writable: pages of a
// private writable mapping may hold the loader's own writes, which MADV_DONTNEED would throw away.
static int in_read_only_segment(const struct dl_phdr_info *info, uintptr_t start, uintptr_t end) {
    for (int i = 0; i < info->dlpi_phnum; i++) {
        const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
        if (ph->p_type != PT_LOAD) continue;
        uintptr_t seg = info->dlpi_addr + ph->p_vaddr;
        if (start >= seg && end <= seg + ph->p_filesz) return (ph->p_flags & PF_W) == 0;
    }
    return 0;
}

static int release_one(struct dl_phdr_info *info, size_t size, void *data) {
    (void)size;
    struct release_request *request = data;
    for (int i = 0; i < info->dlpi_phnum; i++) {
        if (info->dlpi_phdr[i].p_type != PT_DYNAMIC) continue;
        const ElfW(Dyn) *dyn = (const ElfW(Dyn) *)(info->dlpi_addr + info->dlpi_phdr[i].p_vaddr);
        uintptr_t rela = 0;
        size_t rela_size = 0;
        for (; dyn->d_tag != DT_NULL; dyn++) {
            if (dyn->d_tag == DT_RELA) rela = dyn->d_un.d_ptr;
            if (dyn->d_tag == DT_RELASZ) rela_size = dyn->d_un.d_val;
        }
        if (rela == 0 || rela_size < request->min_bytes) return 0;
        // glibc rewrites DT_RELA to an absolute address on most targets; where it does not, it is
        // still relative to the load address.
        if (rela < info->dlpi_addr) rela += info->dlpi_addr;
        uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);
        uintptr_t start = (rela + page - 1) & ~(page - 1);
        uintptr_t end = (rela + rela_size) & ~(page - 1);
        if (end <= start || !in_read_only_segment(info, rela, rela + rela_size)) return 0;
        if (madvise((void *)start, end - start, MADV_DONTNEED) == 0) request->released += end - start;
        return 0;
    }
    return 0;
}

size_t dispo_release_relocation_tables(size_t min_bytes) {
    struct release_request request = {min_bytes, 0};
    dl_iterate_phdr(release_one, &request);
    return request.released;
}
