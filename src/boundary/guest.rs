//! What std gave the component on wasm32-wasip2 and a `no_std` crate
//! provides itself: the heap, `cabi_realloc`, the panic handler and
//! `memcmp`. Under std these came with wasi-libc, whose stdio, terminal,
//! environment and exit imports (19 of the 60 core imports) every instance
//! had to wire up though nothing here used them.

use core::alloc::{GlobalAlloc, Layout};
use core::arch::wasm32::unreachable;
use core::fmt::Write;

/// The heap: wasi-libc's malloc (dlmalloc over `memory.grow`, linked from
/// its archive with `memcmp`), the allocator std used here, called as std's
/// `System` allocator calls it. The dlmalloc crate was measured instead:
/// 7.7 k more instructions per replayed call (docs/src/benchmarks.md).
#[global_allocator]
static HEAP: Libc = Libc;

// Only the functions referenced are linked from wasi-libc's archive, and
// none of them imports anything: malloc's family, and `memcmp` for slice
// comparisons (copies and fills are bulk-memory instructions).
#[link(name = "c")]
unsafe extern "C" {
    fn malloc(size: usize) -> *mut u8;
    fn calloc(count: usize, size: usize) -> *mut u8;
    fn realloc(ptr: *mut u8, size: usize) -> *mut u8;
    fn aligned_alloc(align: usize, size: usize) -> *mut u8;
    fn free(ptr: *mut u8);
}

/// The alignment wasi-libc's malloc guarantees.
const MALLOC_ALIGN: usize = 16;

/// Whether plain malloc (or calloc, realloc) serves a block of `size` bytes
/// aligned to `align`: within malloc's alignment and no larger than the
/// block, as std's `System` allocator decides; otherwise `aligned_alloc`.
fn malloc_serves(align: usize, size: usize) -> bool {
    align <= MALLOC_ALIGN && align <= size
}

struct Libc;

unsafe impl GlobalAlloc for Libc {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        unsafe {
            if malloc_serves(layout.align(), layout.size()) {
                malloc(layout.size())
            } else {
                aligned_alloc(layout.align(), layout.size())
            }
        }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        if malloc_serves(layout.align(), layout.size()) {
            unsafe { calloc(layout.size(), 1) }
        } else {
            let ptr = unsafe { self.alloc(layout) };
            if !ptr.is_null() {
                unsafe { ptr.write_bytes(0, layout.size()) };
            }
            ptr
        }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, _: Layout) {
        unsafe { free(ptr) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if malloc_serves(layout.align(), new_size) {
            return unsafe { realloc(ptr, new_size) };
        }
        // Over-aligned: a new block, the bytes copied, the old one freed.
        let Ok(new_layout) = Layout::from_size_align(new_size, layout.align()) else {
            return core::ptr::null_mut();
        };
        let new = unsafe { self.alloc(new_layout) };
        if !new.is_null() {
            unsafe {
                core::ptr::copy_nonoverlapping(ptr, new, layout.size().min(new_size));
                free(ptr);
            }
        }
        new
    }
}

/// The canonical ABI's allocator: where the host puts the arguments and
/// lists it passes in. Under std, wasi-libc exported one; wit-bindgen
/// provides one only for other targets.
///
/// # Safety
///
/// Called by the host as the canonical ABI says: `align` a power of two,
/// `old_ptr` an allocation of `old_len` bytes from this function or null.
#[unsafe(export_name = "cabi_realloc")]
unsafe extern "C" fn cabi_realloc(
    old_ptr: *mut u8,
    old_len: usize,
    align: usize,
    new_len: usize,
) -> *mut u8 {
    let ptr = unsafe {
        if old_len == 0 {
            if new_len == 0 {
                return align as *mut u8;
            }
            alloc::alloc::alloc(Layout::from_size_align_unchecked(new_len, align))
        } else {
            let layout = Layout::from_size_align_unchecked(old_len, align);
            alloc::alloc::realloc(old_ptr, layout, new_len)
        }
    };
    if ptr.is_null() {
        unreachable()
    }
    ptr
}

/// A panic is a bug (no outside input reaches one): its message goes to
/// stderr for whoever embeds the component, then the call traps.
#[panic_handler]
fn panic(info: &core::panic::PanicInfo) -> ! {
    let mut message = Message {
        bytes: [0; 512],
        len: 0,
    };
    let _ = writeln!(message, "goto-connector: {info}");
    let _ = wasi::cli::stderr::get_stderr().blocking_write_and_flush(&message.bytes[..message.len]);
    unreachable()
}

/// A panic message, cut at a fixed size: formatting it must not allocate
/// (the panic may be the allocator's).
struct Message {
    bytes: [u8; 512],
    len: usize,
}

impl Write for Message {
    fn write_str(&mut self, s: &str) -> core::fmt::Result {
        let n = s.len().min(self.bytes.len() - self.len);
        self.bytes[self.len..self.len + n].copy_from_slice(&s.as_bytes()[..n]);
        self.len += n;
        Ok(())
    }
}
