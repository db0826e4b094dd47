/* The compiled hot path of the child runtime: a task step's bracket and call_soon.
 *
 * Optional: asyncscope/runtime/hooks.py uses it when it imports (and ASYNCSCOPE_PURE is
 * not set) and otherwise runs the same logic in Python. Both must behave identically: the
 * same events in the same order, the same exceptions, the same gate (tests/test_hotpath.py
 * compares the two event streams event for event).
 *
 * Two callable types, each a method descriptor (so `handle._run()` and `loop.call_soon()`
 * call them with the instance as first argument, without a bound method in between):
 *
 *   StepRunner  TaskStepHandle._run: gate check, clock, the step in its context, clock,
 *               then a bare-yield step encoded here as msgpack (the exact bytes msgspec
 *               makes for ("step", t, tid, dur, None, None)) and queued, a wait on a
 *               plain future inside asyncio walked and queued here (waiting_step), or the
 *               tracer's Python `suspended`/`_finished` for anything else.
 *   CallSoon    BaseEventLoop.call_soon: the task-step test and the TaskStepHandle built
 *               straight into its slots; everything unusual (debug mode, a closed loop, a
 *               loop class with its own _call_soon, unknown keywords) goes to the Python
 *               implementation it was given.
 *
 * Failures of this module's own work (reading a task's state, encoding, queueing) never
 * reach the program: they are handed to the tracer's `internal_error` and the step goes on.
 * What the Python path would raise (the step's SystemExit/KeyboardInterrupt, an error from
 * the tracer's own Python callbacks) is raised the same way here.
 */

#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <structmember.h>
#include <pythread.h>
#include <string.h>
#include <time.h>

/* ---- shared helpers ------------------------------------------------------------------ */

static PyObject *str_active, *str_done, *str_fut_waiter, *str_before_step, *str_origin_ns,
    *str_flush_partial, *str_append, *str_ready, *str_debug, *str_closed, *str_call_soon_impl,
    *str_name, *str_self, *str_last_scheduled, *str_context, *str_run;

static PyObject *str_step, *str_get_loop, *str_creating, *str_next_tid, *str_get_coro, *str_qualname,
    *str_cr_code, *str_gi_code, *str_asyncio, *str_user, *str_in_shutdown, *str_get_name, *str_created,
    *str_discount, *str_done_tag, *str_cancelled, *str_exception, *str_result, *one;

static PyObject *str_cr_frame, *str_cr_await, *str_gi_frame, *str_gi_yieldfrom;

/* PyLong_AsLongLong without its slow path: on 3.11 it converts any int of two digits or more
 * (2**30 and up: a clock reading, an object's address) through _PyLong_AsByteArray, a
 * measurable share of a resource change. -1 with an error set when it does not fit. */
static inline long long
as_long_long(PyObject *value)
{
    int overflow;
    long long result = PyLong_AsLongLongAndOverflow(value, &overflow);
    if (overflow) {
        PyErr_SetString(PyExc_OverflowError, "an int too large for a C long long");
        return -1;
    }
    return result;
}

static long fail_after = -1; /* test hook: fail the Nth bare-yield encoding from now */

/* Encode an event tuple with the tracer's msgspec encoder and queue the bytes, as the Python
 * path's `self._append(self._encode(...))` does. Takes `tuple` (a new reference, or NULL with
 * an error set by whoever failed to build it); -1 on failure. */
static int
queue_encoded(PyObject *encode, PyObject *queue_append, PyObject *tuple)
{
    PyObject *encoded = tuple ? PyObject_CallOneArg(encode, tuple) : NULL;
    Py_XDECREF(tuple);
    PyObject *r = encoded ? PyObject_CallOneArg(queue_append, encoded) : NULL;
    Py_XDECREF(encoded);
    if (r == NULL) {
        return -1;
    }
    Py_DECREF(r);
    return 0;
}

static int
slot_offset(PyTypeObject *type, const char *name, Py_ssize_t *offset)
{
    PyObject *descr = PyObject_GetAttrString((PyObject *)type, name);
    if (descr == NULL) {
        return -1;
    }
    if (Py_TYPE(descr) != &PyMemberDescr_Type) {
        PyErr_Format(PyExc_TypeError, "%s.%s is not a slot", type->tp_name, name);
        Py_DECREF(descr);
        return -1;
    }
    PyMemberDef *member = ((PyMemberDescrObject *)descr)->d_member;
    if (member->type != T_OBJECT_EX || (member->flags & READONLY)) {
        PyErr_Format(PyExc_TypeError, "%s.%s is not a writable object slot", type->tp_name, name);
        Py_DECREF(descr);
        return -1;
    }
    *offset = member->offset;
    Py_DECREF(descr);
    return 0;
}

/* The exception being raised, taken out of the error indicator (normalised). */
static PyObject *
take_exception(void)
{
#if PY_VERSION_HEX >= 0x030C0000
    return PyErr_GetRaisedException();
#else
    PyObject *type, *value, *tb;
    PyErr_Fetch(&type, &value, &tb);
    if (type == NULL) {
        return NULL;
    }
    PyErr_NormalizeException(&type, &value, &tb);
    if (tb != NULL && value != NULL) {
        PyException_SetTraceback(value, tb);
    }
    Py_XDECREF(type);
    Py_XDECREF(tb);
    return value;
#endif
}

/* dict.pop(key, None): 1 popped, 0 absent, -1 error; *value a new reference or NULL. */
static int
PyDict_Pop_compat(PyObject *dict, PyObject *key, PyObject **value)
{
    *value = PyDict_GetItemWithError(dict, key);
    if (*value == NULL) {
        return PyErr_Occurred() ? -1 : 0;
    }
    Py_INCREF(*value);
    if (PyDict_DelItem(dict, key) < 0) {
        Py_CLEAR(*value);
        return -1;
    }
    return 1;
}

/* getattr(obj, name) or nothing: 1 found (*value a new reference), 0 not, -1 error */
#if PY_VERSION_HEX >= 0x030D0000
#define lookup_attr PyObject_GetOptionalAttr
#else
#define lookup_attr _PyObject_LookupAttr
#endif

#define SLOT(obj, off) (*(PyObject **)((char *)(obj) + (off)))

static PyObject *
get_slot(PyObject *obj, Py_ssize_t off, const char *name)
{
    PyObject *value = SLOT(obj, off);
    if (value == NULL) {
        PyErr_Format(PyExc_AttributeError, "'%s' object has no attribute '%s'", Py_TYPE(obj)->tp_name, name);
        return NULL;
    }
    return value; /* borrowed */
}

static void
set_slot(PyObject *obj, Py_ssize_t off, PyObject *value) /* steals value */
{
    PyObject *old = SLOT(obj, off);
    SLOT(obj, off) = value;
    Py_XDECREF(old);
}

static PyObject *
descr_get(PyObject *self, PyObject *obj, PyObject *type)
{
    if (obj == NULL || obj == Py_None) {
        return Py_NewRef(self);
    }
    return PyMethod_New(self, obj);
}

/* What every callable type here shares with a function: called by vectorcall, bound as a
 * method when read off an instance (or called unbound by CPython's method calls), with a
 * __dict__ for __name__, __qualname__, __doc__ and __module__. */
#define FUNCTION_LIKE(type)                                                                        \
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_VECTORCALL | Py_TPFLAGS_METHOD_DESCRIPTOR,    \
    .tp_vectorcall_offset = offsetof(type, vectorcall), .tp_dictoffset = offsetof(type, dict),      \
    .tp_getattro = PyObject_GenericGetAttr, .tp_setattro = PyObject_GenericSetAttr,                \
    .tp_call = PyVectorcall_Call, .tp_descr_get = descr_get

/* ---- msgpack, byte for byte as msgspec writes it ------------------------------------ */

static Py_ssize_t
put_int(unsigned char *p, long long v)
{
    if (v >= 0) {
        unsigned long long u = (unsigned long long)v;
        if (u < 128) {
            p[0] = (unsigned char)u;
            return 1;
        }
        if (u <= 0xff) {
            p[0] = 0xcc;
            p[1] = (unsigned char)u;
            return 2;
        }
        if (u <= 0xffff) {
            p[0] = 0xcd;
            p[1] = (unsigned char)(u >> 8);
            p[2] = (unsigned char)u;
            return 3;
        }
        if (u <= 0xffffffffULL) {
            p[0] = 0xce;
            for (int i = 0; i < 4; i++) p[1 + i] = (unsigned char)(u >> (24 - 8 * i));
            return 5;
        }
        p[0] = 0xcf;
        for (int i = 0; i < 8; i++) p[1 + i] = (unsigned char)(u >> (56 - 8 * i));
        return 9;
    }
    if (v >= -32) {
        p[0] = (unsigned char)(v & 0xff);
        return 1;
    }
    if (v >= -128) {
        p[0] = 0xd0;
        p[1] = (unsigned char)(v & 0xff);
        return 2;
    }
    if (v >= -32768) {
        p[0] = 0xd1;
        p[1] = (unsigned char)((v >> 8) & 0xff);
        p[2] = (unsigned char)(v & 0xff);
        return 3;
    }
    unsigned long long u = (unsigned long long)v;
    if (v >= -2147483648LL) {
        p[0] = 0xd2;
        for (int i = 0; i < 4; i++) p[1 + i] = (unsigned char)(u >> (24 - 8 * i));
        return 5;
    }
    p[0] = 0xd3;
    for (int i = 0; i < 8; i++) p[1 + i] = (unsigned char)(u >> (56 - 8 * i));
    return 9;
}

/* The first four items of a step event, ("step", t, tid, dur, ...), after the header of its
 * 6-item array: at most 33 bytes written at `p`; returns how many. */
static Py_ssize_t
put_step_head(unsigned char *p, double t, long long tid, long long dur)
{
    unsigned char *start = p;
    *p++ = 0x96;  /* fixarray of 6 */
    *p++ = 0xa4;  /* fixstr of 4 */
    memcpy(p, "step", 4);
    p += 4;
    *p++ = 0xcb;  /* float 64, big-endian */
    unsigned long long bits;
    memcpy(&bits, &t, 8);
    for (int i = 0; i < 8; i++) *p++ = (unsigned char)(bits >> (56 - 8 * i));
    p += put_int(p, tid);
    p += put_int(p, dur);
    return p - start;
}

/* ("step", t, tid, dur, None, None) as msgpack; NULL with an exception set if tid does not
 * fit a C long long (the caller then lets msgspec encode the tuple). */
static PyObject *
encode_step_bytes(double t, long long tid, long long dur)
{
    unsigned char buf[64];
    unsigned char *p = buf + put_step_head(buf, t, tid, dur);
    *p++ = 0xc0;
    *p++ = 0xc0;
    return PyBytes_FromStringAndSize((const char *)buf, p - buf);
}

/* ("step", t, tid, dur, <wait>, [chain...]) as msgpack, with the Wait already encoded by
 * msgspec (`wait`, `wait_len` bytes) and the chain's `n` ints (n <= 128); byte for byte
 * what msgspec makes of the same tuple (tests/test_hotpath.py). */
static PyObject *
encode_wait_step_bytes(double t, long long tid, long long dur, const char *wait, Py_ssize_t wait_len,
                       const long long *chain, Py_ssize_t n)
{
    unsigned char head[48], tail[3 + 128 * 9];
    Py_ssize_t head_len = put_step_head(head, t, tid, dur);
    unsigned char *q = tail;
    if (n < 16) {
        *q++ = (unsigned char)(0x90 | n);  /* fixarray */
    }
    else {
        *q++ = 0xdc;  /* array 16 */
        *q++ = (unsigned char)(n >> 8);
        *q++ = (unsigned char)n;
    }
    for (Py_ssize_t i = 0; i < n; i++) q += put_int(q, chain[i]);
    Py_ssize_t tail_len = q - tail;
    PyObject *out = PyBytes_FromStringAndSize(NULL, head_len + wait_len + tail_len);
    if (out == NULL) {
        return NULL;
    }
    char *o = PyBytes_AS_STRING(out);
    memcpy(o, head, head_len);
    memcpy(o + head_len, wait, wait_len);
    memcpy(o + head_len + wait_len, tail, tail_len);
    return out;
}

static PyObject *
py_encode_wait_step(PyObject *module, PyObject *args)
{
    double t;
    long long tid, dur;
    Py_buffer wait;
    PyObject *chain;
    if (!PyArg_ParseTuple(args, "dLLy*O!", &t, &tid, &dur, &wait, &PyList_Type, &chain)) {
        return NULL;
    }
    long long links[128];
    Py_ssize_t n = PyList_GET_SIZE(chain);
    PyObject *out = NULL;
    if (n > 128) {
        PyErr_SetString(PyExc_ValueError, "a chain of at most 128 ints");
        goto done;
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        links[i] = as_long_long(PyList_GET_ITEM(chain, i));
        if (links[i] == -1 && PyErr_Occurred()) {
            goto done;
        }
    }
    out = encode_wait_step_bytes(t, tid, dur, wait.buf, wait.len, links, n);
done:
    PyBuffer_Release(&wait);
    return out;
}

static PyObject *
py_encode_step(PyObject *module, PyObject *args)
{
    double t;
    long long tid, dur;
    if (!PyArg_ParseTuple(args, "dLL", &t, &tid, &dur)) {
        return NULL;
    }
    return encode_step_bytes(t, tid, dur);
}

static PyObject *
py_fail_after(PyObject *module, PyObject *arg)
{
    long n = PyLong_AsLong(arg);
    if (n == -1 && PyErr_Occurred()) {
        return NULL;
    }
    fail_after = n;
    Py_RETURN_NONE;
}

/* ---- msgpack of a resource event, byte for byte as msgspec writes the tuple --------- */

/* A small writer into a fixed buffer: every put returns -1 when the value is not one this
 * writer knows (then the caller lets msgspec encode the tuple) or does not fit. */
typedef struct {
    unsigned char buf[1024];
    Py_ssize_t len;
} Packer;

static int
pack_raw(Packer *w, const void *data, Py_ssize_t n)
{
    if (w->len + n > (Py_ssize_t)sizeof(w->buf)) {
        return -1;
    }
    memcpy(w->buf + w->len, data, n);
    w->len += n;
    return 0;
}

static int
pack_byte(Packer *w, unsigned char b)
{
    return pack_raw(w, &b, 1);
}

static int
pack_float(Packer *w, double t)
{
    unsigned char b[9];
    b[0] = 0xcb;
    unsigned long long bits;
    memcpy(&bits, &t, 8);
    for (int i = 0; i < 8; i++) b[1 + i] = (unsigned char)(bits >> (56 - 8 * i));
    return pack_raw(w, b, 9);
}

/* None, an exact int that fits a long long, a str, True/False; -1 for anything else. */
static int
pack_simple(Packer *w, PyObject *value)
{
    if (value == Py_None) {
        return pack_byte(w, 0xc0);
    }
    if (value == Py_True || value == Py_False) {
        return pack_byte(w, value == Py_True ? 0xc3 : 0xc2);
    }
    if (PyLong_CheckExact(value)) {
        int overflow;
        long long v = PyLong_AsLongLongAndOverflow(value, &overflow);
        if (overflow || (v == -1 && PyErr_Occurred())) {
            PyErr_Clear();
            return -1;
        }
        unsigned char b[9];
        return pack_raw(w, b, put_int(b, v));
    }
    if (PyUnicode_CheckExact(value)) {
        Py_ssize_t n;
        const char *text = PyUnicode_AsUTF8AndSize(value, &n);
        if (text == NULL) {
            PyErr_Clear();
            return -1;
        }
        unsigned char b[5];
        Py_ssize_t head;
        if (n < 32) {
            b[0] = (unsigned char)(0xa0 | n);
            head = 1;
        }
        else if (n < 256) {
            b[0] = 0xd9;
            b[1] = (unsigned char)n;
            head = 2;
        }
        else if (n < 65536) {
            b[0] = 0xda;
            b[1] = (unsigned char)(n >> 8);
            b[2] = (unsigned char)n;
            head = 3;
        }
        else {
            return -1;
        }
        return pack_raw(w, b, head) < 0 ? -1 : pack_raw(w, text, n);
    }
    return -1;
}

/* `items` as a msgpack array (at most 15 items, each a simple value or, for a tuple, an
 * array of simple values): the bytes, or NULL with no exception when something is not
 * simple, with one when out of memory. */
static PyObject *
pack_event(PyObject *const *items, Py_ssize_t n)
{
    Packer w;
    w.len = 0;
    if (n > 15 || pack_byte(&w, (unsigned char)(0x90 | n)) < 0) {
        return NULL;
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *item = items[i];
        if (PyFloat_CheckExact(item)) {
            if (pack_float(&w, PyFloat_AS_DOUBLE(item)) < 0) {
                return NULL;
            }
        }
        else if (PyTuple_CheckExact(item)) {
            Py_ssize_t m = PyTuple_GET_SIZE(item);
            if (m > 15 || pack_byte(&w, (unsigned char)(0x90 | m)) < 0) {
                return NULL;
            }
            for (Py_ssize_t j = 0; j < m; j++) {
                if (pack_simple(&w, PyTuple_GET_ITEM(item, j)) < 0) {
                    return NULL;
                }
            }
        }
        else if (pack_simple(&w, item) < 0) {
            return NULL;
        }
    }
    return PyBytes_FromStringAndSize((const char *)w.buf, w.len);
}

static PyObject *
py_pack_event(PyObject *module, PyObject *items)
{
    if (!PyTuple_Check(items)) {
        PyErr_SetString(PyExc_TypeError, "a tuple");
        return NULL;
    }
    PyObject *out = pack_event(&PyTuple_GET_ITEM(items, 0), PyTuple_GET_SIZE(items));
    if (out == NULL && !PyErr_Occurred()) {
        Py_RETURN_NONE;
    }
    return out;
}

/* ---- the running frame --------------------------------------------------------------- */

#if PY_VERSION_HEX >= 0x030B0000 && PY_VERSION_HEX < 0x030C0000
/* 3.11's _PyInterpreterFrame (Include/internal/pycore_frame.h), as far as prev_instr: the
 * internal header needs Py_BUILD_CORE, and the layout is fixed within 3.11. */
typedef struct {
    PyObject *f_func, *f_globals, *f_builtins, *f_locals;
    PyCodeObject *f_code;
    PyObject *frame_obj;
    void *previous;
    _Py_CODEUNIT *prev_instr;
} Frame311;
#endif

/* The code object running now and its instruction offset (bytes, as frame.f_lasti), without
 * making a frame object: PyEval_GetFrame makes one for the running interpreter frame, and
 * for a coroutine that makes a lock that is one garbage-collected object per task, alive as
 * long as the task (the resources workload ran 10% more collections for them). A new
 * reference, or NULL (no frame, or a version whose layout this does not know) for the
 * caller to take the frame object's way. */
static PyCodeObject *
running_code(int *lasti)
{
#if PY_VERSION_HEX >= 0x030B0000 && PY_VERSION_HEX < 0x030C0000
    Frame311 *frame = (Frame311 *)PyThreadState_Get()->cframe->current_frame;
    if (frame == NULL || frame->f_code == NULL || !PyCode_Check(frame->f_code)) {
        return NULL;
    }
    long offset = (long)(frame->prev_instr - (_Py_CODEUNIT *)frame->f_code->co_code_adaptive);
    *lasti = offset < 0 ? -1 : (int)(offset * (long)sizeof(_Py_CODEUNIT));
    return (PyCodeObject *)Py_NewRef(frame->f_code);
#elif PY_VERSION_HEX >= 0x030C0000 && PY_VERSION_HEX < 0x030E0000
#if PY_VERSION_HEX < 0x030D0000
    struct _PyInterpreterFrame *frame = PyThreadState_Get()->cframe->current_frame;
#else
    struct _PyInterpreterFrame *frame = PyThreadState_Get()->current_frame;
#endif
    if (frame == NULL) {
        return NULL;
    }
    PyObject *code = PyUnstable_InterpreterFrame_GetCode(frame);
    if (code == NULL || !PyCode_Check(code)) {
        Py_XDECREF(code);
        return NULL;
    }
    *lasti = PyUnstable_InterpreterFrame_GetLasti(frame);
    return (PyCodeObject *)code;
#else
    (void)lasti;
    return NULL;
#endif
}

/* ---- the clock ----------------------------------------------------------------------- */

/* time.perf_counter_ns() as the runtime captured it before the program's clock was
 * installed: clock_gettime(CLOCK_MONOTONIC) where Python says that is what it reads,
 * else a call to the captured function. */
static int
read_clock(PyObject *perf_ns, int monotonic, long long *out)
{
#if defined(CLOCK_MONOTONIC)
    if (monotonic) {
        struct timespec ts;
        if (clock_gettime(CLOCK_MONOTONIC, &ts) == 0) {
            *out = (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
            return 0;
        }
    }
#endif
    PyObject *value = PyObject_CallNoArgs(perf_ns);
    if (value == NULL) {
        return -1;
    }
    *out = as_long_long(value);
    Py_DECREF(value);
    return (*out == -1 && PyErr_Occurred()) ? -1 : 0;
}

/* Clock's slots (runtime/clock.py), found on the first clock seen: every event reads the
 * clock, and two attribute lookups by name were a third of what reporting a resource change
 * cost. Any other object (a test's stand-in) is read by name. */
static PyTypeObject *clock_type, *not_clock_type;
static Py_ssize_t clock_off_origin, clock_off_started;

static int
clock_has_slots(PyObject *clock)
{
    PyTypeObject *type = Py_TYPE(clock);
    if (type == clock_type) {
        return 1;
    }
    if (clock_type != NULL || type == not_clock_type) {
        return 0;
    }
    if (slot_offset(type, "origin_ns", &clock_off_origin) < 0 || slot_offset(type, "started", &clock_off_started) < 0) {
        PyErr_Clear();
        not_clock_type = type; /* compared, never dereferenced: no reference kept */
        return 0;
    }
    clock_type = (PyTypeObject *)Py_NewRef(type);
    return 1;
}

/* clock.<name>, a new reference (or NULL with an error): by its slot where the clock has one
 * (`off` points at the offset: it is known only once clock_has_slots has run). */
static PyObject *
clock_attr(PyObject *clock, const Py_ssize_t *off, PyObject *name)
{
    if (clock_has_slots(clock)) {
        PyObject *value = SLOT(clock, *off);
        if (value == NULL) {
            PyErr_SetObject(PyExc_AttributeError, name);
        }
        return Py_XNewRef(value);
    }
    return PyObject_GetAttr(clock, name);
}

/* The clock's origin_ns now (Clock.origin_ns: the virtual clock moves it): 0, or -1 with an error. */
static int
clock_origin(PyObject *clock, long long *origin_ns)
{
    PyObject *origin = clock_attr(clock, &clock_off_origin, str_origin_ns);
    *origin_ns = origin ? as_long_long(origin) : -1;
    Py_XDECREF(origin);
    return (*origin_ns == -1 && PyErr_Occurred()) ? -1 : 0;
}

/* Program time now, as events are stamped: (perf_counter_ns() - clock.origin_ns) / 1e9; a
 * new float, or NULL with an error. */
static PyObject *
clock_now(PyObject *clock, PyObject *perf_ns, int monotonic)
{
    long long origin_ns, now_ns;
    if (clock_origin(clock, &origin_ns) < 0 || read_clock(perf_ns, monotonic, &now_ns) < 0) {
        return NULL;
    }
    return PyFloat_FromDouble((double)(now_ns - origin_ns) / 1e9);
}

/* ---- StepRunner: TaskStepHandle._run ------------------------------------------------- */

#define MAX_THREADS 64

typedef struct {
    unsigned long ident;
    int active;
    long long began;
    PyObject *tid;  /* strong while active */
    PyObject *loop; /* strong while active: the loop running the step (resource_current reads it) */
} StepSlot;

typedef struct {
    PyObject_HEAD
    vectorcallfunc vectorcall;
    PyObject *dict; /* __name__, __qualname__, __doc__, __module__: what a function has */
    PyTypeObject *handle_type;
    PyObject *gate, *clock, *queue, *queue_append, *flush, *suspended, *finished, *capture,
        *held, *report_error, *internal_error, *perf_ns, *encode;
    /* Tracer._finished's common case (see finish_task) */
    PyObject *names, *ids, *cancelled_by, *describe_result;
    /* Tracer.suspended's common case (see waiting_step): its caches and what it checks */
    PyObject *chain_codes, *lib_wait_bytes, *frameless, *sleep_until, *executor_pending, *future_types;
    int monotonic;
    Py_ssize_t batch_size;
    Py_ssize_t off_task, off_tid, off_context, off_callback, off_args, off_loop;
    StepSlot slots[MAX_THREADS];
} StepRunner;

/* Hand a failure of our own work to the tracer; never raise it into the program. */
static void
own_failure(StepRunner *self, const char *what)
{
    PyObject *exc = take_exception();
    PyObject *message;
    if (exc != NULL) {
        message = PyUnicode_FromFormat("the compiled hot path failed %s (%s: %S); a step went unreported",
                                       what, Py_TYPE(exc)->tp_name, exc);
    }
    else {
        message = PyUnicode_FromFormat("the compiled hot path failed %s", what);
    }
    Py_XDECREF(exc);
    if (message == NULL) {
        PyErr_Clear();
        return;
    }
    PyObject *result = PyObject_CallOneArg(self->internal_error, message);
    Py_DECREF(message);
    if (result == NULL) {
        PyErr_Clear();
    }
    Py_XDECREF(result);
}

static StepSlot *
thread_slot(StepRunner *self)
{
    unsigned long me = PyThread_get_thread_ident();
    StepSlot *free_slot = NULL;
    for (int i = 0; i < MAX_THREADS; i++) {
        StepSlot *slot = &self->slots[i];
        if (slot->ident == me) {
            return slot;
        }
        if (slot->ident == 0 && free_slot == NULL) {
            free_slot = slot;
            break;
        }
    }
    if (free_slot != NULL) {
        free_slot->ident = me;
    }
    return free_slot; /* NULL: too many threads; the watchdog does not see this one */
}

/* The loop whose task step this thread is running, borrowed, or NULL (no step of ours runs
 * here: a plain callback, another thread). What asyncio's _get_running_loop would say inside
 * a step, without its getpid() system call on 3.11. */
static PyObject *
step_loop(StepRunner *self)
{
    unsigned long me = PyThread_get_thread_ident();
    for (int i = 0; i < MAX_THREADS && self->slots[i].ident != 0; i++) {
        if (self->slots[i].ident == me) {
            return self->slots[i].active ? self->slots[i].loop : NULL;
        }
    }
    return NULL;
}

static int call_in_context(PyObject *context, PyObject *callback, PyObject *args);

static int
run_callback(StepRunner *self, PyObject *handle)
{
    PyObject *context = get_slot(handle, self->off_context, "_context");
    PyObject *callback = context ? get_slot(handle, self->off_callback, "_callback") : NULL;
    PyObject *args = callback ? get_slot(handle, self->off_args, "_args") : NULL;
    if (args == NULL) {
        return -1;
    }
    /* Held for the call: the step may cancel its own handle, which clears these slots. */
    Py_INCREF(context);
    Py_INCREF(callback);
    Py_INCREF(args);
    int failed = call_in_context(context, callback, args);
    Py_DECREF(context);
    Py_DECREF(callback);
    Py_DECREF(args);
    return failed;
}

static int
call_in_context(PyObject *context, PyObject *callback, PyObject *args)
{
    PyObject *result;
    if (PyContext_CheckExact(context) && PyTuple_CheckExact(args)) {
        if (PyContext_Enter(context) < 0) {
            return -1;
        }
        result = PyObject_Vectorcall(callback, &PyTuple_GET_ITEM(args, 0), PyTuple_GET_SIZE(args), NULL);
        if (PyContext_Exit(context) < 0) {
            Py_XDECREF(result);
            return -1;
        }
    }
    else { /* what Python would do: self._context.run(self._callback, *self._args) */
        PyObject *run = PyObject_GetAttr(context, str_run);
        if (run == NULL) {
            return -1;
        }
        PyObject *full = PySequence_Tuple(args);
        if (full == NULL) {
            Py_DECREF(run);
            return -1;
        }
        PyObject *with = PyTuple_New(PyTuple_GET_SIZE(full) + 1);
        if (with == NULL) {
            Py_DECREF(run);
            Py_DECREF(full);
            return -1;
        }
        PyTuple_SET_ITEM(with, 0, Py_NewRef(callback));
        for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(full); i++) {
            PyTuple_SET_ITEM(with, i + 1, Py_NewRef(PyTuple_GET_ITEM(full, i)));
        }
        Py_DECREF(full);
        result = PyObject_Call(run, with, NULL);
        Py_DECREF(run);
        Py_DECREF(with);
    }
    if (result == NULL) {
        return -1;
    }
    Py_DECREF(result);
    return 0;
}

/* Is the task still called what the tracer last reported (Tracer._names)? 1 yes, 0 no
 * (renamed, or not on record: the Python path reports it), -1 with an exception set. */
static int
named_as_reported(StepRunner *self, PyObject *task, PyObject *tid)
{
    PyObject *name = PyObject_CallMethodNoArgs(task, str_get_name);
    if (name == NULL) {
        return -1;
    }
    PyObject *known = PyDict_GetItemWithError(self->names, tid);
    int same = known != NULL ? PyObject_RichCompareBool(known, name, Py_EQ) : (PyErr_Occurred() ? -1 : 0);
    Py_DECREF(name);
    return same;
}

/* Tracer._finished(task, tid, dur) for its common case: a task that returned, was not
 * renamed since it was last reported and has no cancellation cause on record. The rest
 * (cancelled, failed, renamed) goes to the Python method. Same event, same bookkeeping. */
static int
finish_task(StepRunner *self, PyObject *task, PyObject *tid, PyObject *dur)
{
    int common = named_as_reported(self, task, tid);
    if (common == 1) {
        PyObject *cancelled = PyObject_CallMethodNoArgs(task, str_cancelled);
        int is_cancelled = cancelled ? PyObject_IsTrue(cancelled) : -1;
        Py_XDECREF(cancelled);
        common = is_cancelled < 0 ? -1 : !is_cancelled;
    }
    PyObject *exc = NULL;
    if (common == 1) {
        exc = PyObject_GetAttr(task, str_exception);
        common = exc == NULL ? -1 : exc == Py_None;
        Py_XDECREF(exc);
    }
    if (common == 1) {
        int causes = PyObject_IsTrue(self->cancelled_by);
        common = causes < 0 ? -1 : !causes;
    }
    if (common <= 0) {
        if (common < 0) {
            return -1;
        }
        PyObject *r = PyObject_CallFunctionObjArgs(self->finished, task, tid, dur, NULL);
        if (r == NULL) {
            return -2; /* the Python method's own exception: raised as the Python path would */
        }
        Py_DECREF(r);
        return 0;
    }
    /* self._names.pop(tid); self._ids.pop(id(task), None) */
    if (PyDict_DelItem(self->names, tid) < 0) {
        return -1;
    }
    PyObject *key = PyLong_FromVoidPtr(task);
    if (key == NULL) {
        return -1;
    }
    PyObject *gone = NULL;
    int popped = PyDict_Pop_compat(self->ids, key, &gone);
    Py_DECREF(key);
    Py_XDECREF(gone);
    if (popped < 0) {
        return -1;
    }
    PyObject *value = PyObject_GetAttr(task, str_result);
    PyObject *result = value ? PyObject_CallOneArg(self->describe_result, value) : NULL;
    Py_XDECREF(value);
    if (result == NULL) {
        return -1;
    }
    PyObject *now = clock_now(self->clock, self->perf_ns, self->monotonic);
    PyObject *tuple = now ? PyTuple_Pack(9, str_done_tag, now, tid, dur, str_done_tag, result, Py_None, Py_None,
                                         Py_None)
                          : NULL;
    Py_XDECREF(now);
    Py_DECREF(result);
    return queue_encoded(self->encode, self->queue_append, tuple);
}

/* Tracer.suspended's common case, a task waiting on a plain future inside asyncio (a
 * socket read, a stream's drain, a queue's getter...): its await chain walked here, and
 * the Step queued encoded. Returns 1 when sent, 0 when the Python `suspended` must handle
 * the step (anything it would say more about: a rename, a task, sleep, gather, executor or
 * resource wait, a code object or a wait not yet in its caches, an awaitable other than a
 * coroutine or a generator), -1 on a failure of our own. Sends nothing unless it returns 1,
 * so the fallback is always whole. Keep it in step with Tracer.suspended, await_chain and
 * describe (loop.py). */
static int
waiting_step(StepRunner *self, PyObject *task, PyObject *tid, long long dur, PyObject *waiter,
             long long ended)
{
    PyTypeObject *wtype = Py_TYPE(waiter);
    int plain_future = 0;
    for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(self->future_types); i++) {
        if ((PyObject *)wtype == PyTuple_GET_ITEM(self->future_types, i)) {
            plain_future = 1;
            break;
        }
    }
    if (!plain_future || PyList_GET_SIZE(self->executor_pending) > 0) {
        return 0; /* a task, a gather, an executor's future... */
    }
    if (PyDict_GET_SIZE(self->sleep_until) > 0) {
        PyObject *ref = PyWeakref_NewRef(waiter, NULL);
        if (ref == NULL) {
            return -1;
        }
        PyObject *until = PyDict_GetItemWithError(self->sleep_until, ref);
        Py_DECREF(ref);
        if (until != NULL) {
            return 0; /* asyncio.sleep's future */
        }
        if (PyErr_Occurred()) {
            return -1;
        }
    }
    /* _check_name: a rename is the Python path's to report */
    int same = named_as_reported(self, task, tid);
    if (same <= 0) {
        return same;
    }

    long long links[128]; /* the chain: code id, line, ... outermost first (depth <= 64) */
    Py_ssize_t n = 0;
    long long tid_value = as_long_long(tid);
    if (tid_value == -1 && PyErr_Occurred()) {
        PyErr_Clear();
        return 0; /* not a C integer: the Python path encodes it */
    }
    PyObject *lib_code = NULL; /* borrowed: kept alive by chain_codes */
    int result = -1;
    PyObject *coro = PyObject_CallMethodNoArgs(task, str_get_coro);
    if (coro == NULL) {
        return -1;
    }
    for (int depth = 0; coro != Py_None && depth < 64; depth++) {
        PyObject *frame, *after;
        if (PyCoro_CheckExact(coro)) {
            frame = PyObject_GetAttr(coro, str_cr_frame);
            after = frame ? PyObject_GetAttr(coro, str_cr_await) : NULL;
        }
        else if (PyGen_CheckExact(coro)) {
            frame = PyObject_GetAttr(coro, str_gi_frame);
            after = frame ? PyObject_GetAttr(coro, str_gi_yieldfrom) : NULL;
        }
        else {
            int stop = PySet_Contains(self->frameless, (PyObject *)Py_TYPE(coro));
            if (stop < 0) {
                goto out;
            }
            if (stop) {
                break; /* a future's __await__ iterator: the end of the chain */
            }
            result = 0; /* an awaitable the Python walk knows how to read */
            goto out;
        }
        if (frame == NULL || after == NULL) {
            Py_XDECREF(frame);
            goto out;
        }
        Py_SETREF(coro, after);
        if (frame == Py_None) {
            Py_DECREF(frame);
            break;
        }
        PyCodeObject *code = PyFrame_GetCode((PyFrameObject *)frame);
        PyObject *key = PyLong_FromVoidPtr(code); /* id(code), as the Python walk keys it */
        Py_DECREF(code);
        PyObject *facts = key ? PyDict_GetItemWithError(self->chain_codes, key) : NULL;
        Py_XDECREF(key);
        if (facts == NULL) {
            Py_DECREF(frame);
            result = (key == NULL || PyErr_Occurred()) ? -1 : 0; /* 0: a code object not met yet */
            goto out;
        }
        if (!PyTuple_Check(facts) || PyTuple_GET_SIZE(facts) != 5 || !PyDict_Check(PyTuple_GET_ITEM(facts, 4))) {
            Py_DECREF(frame);
            PyErr_SetString(PyExc_TypeError, "a code's facts are not (id, lib, sync, code, lines)");
            goto out;
        }
        if (PyTuple_GET_ITEM(facts, 2) != Py_False) {
            Py_DECREF(frame);
            result = 0; /* a resource's method: the Python path names the resource */
            goto out;
        }
        /* The frame's line, from the code's cache by instruction offset (f_lineno itself
         * scans the line table every time) */
        PyObject *lines = PyTuple_GET_ITEM(facts, 4);
        PyObject *lasti = PyLong_FromLong(PyFrame_GetLasti((PyFrameObject *)frame));
        PyObject *line_obj = lasti ? PyDict_GetItemWithError(lines, lasti) : NULL;
        if (line_obj != NULL) {
            Py_INCREF(line_obj);
        }
        else if (lasti != NULL && !PyErr_Occurred()) {
            line_obj = PyLong_FromLong(PyFrame_GetLineNumber((PyFrameObject *)frame));
            if (line_obj != NULL && PyDict_SetItem(lines, lasti, line_obj) < 0) {
                Py_CLEAR(line_obj);
            }
        }
        Py_XDECREF(lasti);
        Py_DECREF(frame);
        if (line_obj == NULL) {
            goto out;
        }
        links[n] = as_long_long(PyTuple_GET_ITEM(facts, 0));
        links[n + 1] = as_long_long(line_obj);
        Py_DECREF(line_obj);
        if (PyErr_Occurred()) {
            goto out;
        }
        n += 2;
        if (PyTuple_GET_ITEM(facts, 1) == Py_True) {
            lib_code = PyTuple_GET_ITEM(facts, 3); /* kept alive by chain_codes */
        }
    }
    if (lib_code == NULL) {
        result = 0; /* a future awaited by the program's own code */
        goto out;
    }
    PyObject *lib_key = PyLong_FromVoidPtr(lib_code);
    PyObject *wait = lib_key ? PyDict_GetItemWithError(self->lib_wait_bytes, lib_key) : NULL;
    Py_XDECREF(lib_key);
    if (wait == NULL || !PyBytes_Check(wait)) {
        result = (lib_key == NULL || PyErr_Occurred()) ? -1 : 0;
        goto out;
    }
    long long origin_ns;
    if (clock_origin(self->clock, &origin_ns) < 0) {
        goto out;
    }
    /* Written here, byte for byte as msgspec would encode ("step", t, tid, dur, wait, chain) */
    PyObject *encoded = encode_wait_step_bytes((double)(ended - origin_ns) / 1e9, tid_value, dur,
                                               PyBytes_AS_STRING(wait), PyBytes_GET_SIZE(wait), links, n);
    PyObject *r = encoded ? PyObject_CallOneArg(self->queue_append, encoded) : NULL;
    Py_XDECREF(encoded);
    if (r == NULL) {
        goto out;
    }
    Py_DECREF(r);
    Py_ssize_t queued = PyObject_Size(self->queue);
    if (queued < 0) {
        goto out;
    }
    result = 1;
    if (queued >= self->batch_size) {
        r = PyObject_CallNoArgs(self->flush);
        if (r == NULL) {
            result = -2; /* the flush's own error: raised as the Python path would */
            goto out;
        }
        Py_DECREF(r);
    }
out:
    Py_XDECREF(coro);
    return result;
}

static PyObject *
step_run(StepRunner *self, PyObject *const *args, size_t nargsf, PyObject *kwnames)
{
    Py_ssize_t nargs = PyVectorcall_NARGS(nargsf);
    if (nargs != 1 || kwnames != NULL) {
        PyErr_SetString(PyExc_TypeError, "_run() takes exactly one argument (the handle)");
        return NULL;
    }
    PyObject *handle = args[0];
    if (!PyObject_TypeCheck(handle, self->handle_type)) {
        PyErr_Format(PyExc_TypeError, "_run() needs a %s, not %s", self->handle_type->tp_name,
                     Py_TYPE(handle)->tp_name);
        return NULL;
    }
    PyObject *task = get_slot(handle, self->off_task, "_as_task");
    PyObject *tid = task ? get_slot(handle, self->off_tid, "_as_tid") : NULL;
    if (tid == NULL) {
        return NULL;
    }
    Py_INCREF(task); /* the step may drop the handle's references */
    Py_INCREF(tid);
    Py_INCREF(handle);
    PyObject *ret = NULL;

    /* if gate.active: gate.before_step(tid, self._loop) */
    PyObject *active = PyObject_GetAttr(self->gate, str_active);
    if (active == NULL) {
        goto done;
    }
    int is_active = PyObject_IsTrue(active);
    Py_DECREF(active);
    if (is_active < 0) {
        goto done;
    }
    if (is_active) {
        PyObject *loop = get_slot(handle, self->off_loop, "_loop");
        if (loop == NULL) {
            goto done;
        }
        Py_INCREF(loop);
        PyObject *call_args[3] = {self->gate, tid, loop};
        PyObject *r = PyObject_VectorcallMethod(str_before_step, call_args, 3, NULL);
        Py_DECREF(loop);
        if (r == NULL) {
            goto done;
        }
        Py_DECREF(r);
    }

    long long began, ended;
    if (read_clock(self->perf_ns, self->monotonic, &began) < 0) {
        goto done;
    }
    /* Where the watchdog finds this thread's step (the Python path keeps it in _run's locals). */
    StepSlot *slot = thread_slot(self);
    StepSlot saved = {0, 0, 0, NULL, NULL};
    if (slot != NULL) {
        saved = *slot;
        slot->began = began;
        slot->tid = Py_NewRef(tid);
        slot->loop = Py_XNewRef(SLOT(handle, self->off_loop));
        slot->active = 1;
    }
    int failed = run_callback(self, handle);
    if (slot != NULL) {
        Py_XDECREF(slot->tid);
        Py_XDECREF(slot->loop);
        slot->tid = saved.tid;
        slot->loop = saved.loop;
        slot->began = saved.began;
        slot->active = saved.active;
    }
    if (failed) {
        if (PyErr_ExceptionMatches(PyExc_SystemExit) || PyErr_ExceptionMatches(PyExc_KeyboardInterrupt)) {
            goto done;
        }
        PyObject *exc = take_exception();
        PyObject *r = PyObject_CallFunctionObjArgs(self->report_error, handle, exc, NULL);
        Py_DECREF(exc);
        if (r == NULL) {
            goto done;
        }
        Py_DECREF(r);
    }
    if (read_clock(self->perf_ns, self->monotonic, &ended) < 0) {
        goto done;
    }
    long long dur = ended - began;
    PyObject *dur_obj = PyLong_FromLongLong(dur);
    if (dur_obj == NULL) {
        goto done;
    }

    PyObject *is_done = PyObject_CallMethodNoArgs(task, str_done);
    int finished = is_done ? PyObject_IsTrue(is_done) : -1;
    Py_XDECREF(is_done);
    if (finished < 0) {
        own_failure(self, "asking whether a task is done");
    }
    else if (finished) {
        int failed_finish = finish_task(self, task, tid, dur_obj);
        if (failed_finish == -2) {
            Py_DECREF(dur_obj);
            goto done;
        }
        if (failed_finish < 0) {
            own_failure(self, "reporting a finished task");
        }
    }
    else {
        PyObject *waiter = PyObject_GetAttr(task, str_fut_waiter);
        if (waiter == NULL) {
            own_failure(self, "reading what a task waits on");
        }
        else if (waiter == Py_None) {
            /* A bare yield (sleep(0)): the commonest step, so the cheapest event. */
            long long origin_ns;
            PyObject *encoded = NULL;
            if (clock_origin(self->clock, &origin_ns) < 0) {
                /* handled below */
            }
            else if (fail_after >= 0 && fail_after-- == 0) {
                PyErr_SetString(PyExc_RuntimeError, "injected failure (asyncscope.runtime._hotpath._fail_after)");
            }
            else {
                double t = (double)(ended - origin_ns) / 1e9;
                long long tid_value = as_long_long(tid);
                if (tid_value == -1 && PyErr_Occurred()) {
                    /* not a C integer: let msgspec encode the same tuple */
                    PyErr_Clear();
                    PyObject *t_obj = PyFloat_FromDouble(t);
                    PyObject *tuple = t_obj ? PyTuple_Pack(6, str_step, t_obj, tid,
                                                           dur_obj, Py_None, Py_None)
                                            : NULL;
                    Py_XDECREF(t_obj);
                    encoded = tuple ? PyObject_CallOneArg(self->encode, tuple) : NULL;
                    Py_XDECREF(tuple);
                }
                else {
                    encoded = encode_step_bytes(t, tid_value, dur);
                }
            }
            if (encoded == NULL) {
                own_failure(self, "encoding a step");
            }
            else {
                PyObject *r = PyObject_CallOneArg(self->queue_append, encoded);
                Py_DECREF(encoded);
                if (r == NULL) {
                    own_failure(self, "queueing a step");
                }
                else {
                    Py_DECREF(r);
                    /* a long run of sleep(0) must not make one huge frame */
                    Py_ssize_t queued = PyObject_Size(self->queue);
                    if (queued < 0) {
                        own_failure(self, "measuring the queue");
                    }
                    else if (queued >= self->batch_size) {
                        PyObject *f = PyObject_CallNoArgs(self->flush);
                        if (f == NULL) {
                            Py_DECREF(waiter);
                            Py_DECREF(dur_obj);
                            goto done;
                        }
                        Py_DECREF(f);
                    }
                }
            }
            Py_DECREF(waiter);
        }
        else {
            int sent = waiting_step(self, task, tid, dur, waiter, ended);
            if (sent == -2) { /* the flush failed: raised as the Python path raises it */
                Py_DECREF(waiter);
                Py_DECREF(dur_obj);
                goto done;
            }
            if (sent < 0) {
                own_failure(self, "reporting a waiting step");
            }
            else if (sent == 0) {
                PyObject *r = PyObject_CallFunctionObjArgs(self->suspended, task, tid, dur_obj, waiter, NULL);
                if (r == NULL) {
                    Py_DECREF(waiter);
                    Py_DECREF(dur_obj);
                    goto done;
                }
                Py_DECREF(r);
            }
            Py_DECREF(waiter);
        }
    }
    Py_DECREF(dur_obj);
    /* a line printed without its newline yet: send it with its step */
    if (self->capture != Py_None && PyDict_Check(self->held) && PyDict_GET_SIZE(self->held) > 0) {
        PyObject *r = PyObject_CallMethodNoArgs(self->capture, str_flush_partial);
        if (r == NULL) {
            goto done;
        }
        Py_DECREF(r);
    }
    ret = Py_NewRef(Py_None);
done:
    Py_DECREF(task);
    Py_DECREF(tid);
    Py_DECREF(handle);
    return ret;
}

static PyObject *
step_running(StepRunner *self, PyObject *unused)
{
    PyObject *result = PyDict_New();
    if (result == NULL) {
        return NULL;
    }
    for (int i = 0; i < MAX_THREADS; i++) {
        StepSlot *slot = &self->slots[i];
        if (slot->ident == 0) {
            break;
        }
        if (!slot->active || slot->tid == NULL) {
            continue;
        }
        PyObject *key = PyLong_FromUnsignedLong(slot->ident);
        PyObject *value = Py_BuildValue("(LO)", slot->began, slot->tid);
        if (key == NULL || value == NULL || PyDict_SetItem(result, key, value) < 0) {
            Py_XDECREF(key);
            Py_XDECREF(value);
            Py_DECREF(result);
            return NULL;
        }
        Py_DECREF(key);
        Py_DECREF(value);
    }
    return result;
}

static void
step_dealloc(StepRunner *self)
{
    Py_XDECREF(self->dict);
    Py_XDECREF(self->handle_type);
    Py_XDECREF(self->gate);
    Py_XDECREF(self->clock);
    Py_XDECREF(self->queue);
    Py_XDECREF(self->queue_append);
    Py_XDECREF(self->flush);
    Py_XDECREF(self->suspended);
    Py_XDECREF(self->finished);
    Py_XDECREF(self->capture);
    Py_XDECREF(self->held);
    Py_XDECREF(self->report_error);
    Py_XDECREF(self->internal_error);
    Py_XDECREF(self->perf_ns);
    Py_XDECREF(self->encode);
    Py_XDECREF(self->names);
    Py_XDECREF(self->ids);
    Py_XDECREF(self->cancelled_by);
    Py_XDECREF(self->describe_result);
    Py_XDECREF(self->chain_codes);
    Py_XDECREF(self->lib_wait_bytes);
    Py_XDECREF(self->frameless);
    Py_XDECREF(self->sleep_until);
    Py_XDECREF(self->executor_pending);
    Py_XDECREF(self->future_types);
    for (int i = 0; i < MAX_THREADS; i++) {
        Py_XDECREF(self->slots[i].tid);
        Py_XDECREF(self->slots[i].loop);
    }
    Py_TYPE(self)->tp_free((PyObject *)self);
}

static PyObject *
step_new(PyTypeObject *type, PyObject *args, PyObject *kwargs)
{
    static char *names[] = {"handle_type", "gate", "clock", "queue", "flush", "batch_size", "suspended",
                            "finished", "capture", "held", "report_error", "internal_error", "perf_ns",
                            "monotonic", "encode", "names", "ids", "cancelled_by", "describe_result",
                            "chain_codes", "lib_wait_bytes", "frameless", "sleep_until", "executor_pending",
                            "future_types", NULL};
    PyObject *handle_type, *gate, *clock, *queue, *flush, *suspended, *finished, *capture, *held,
        *report_error, *internal_error, *perf_ns, *encode, *task_names, *ids, *cancelled_by, *describe_result,
        *chain_codes, *lib_wait_bytes, *frameless, *sleep_until, *executor_pending, *future_types;
    Py_ssize_t batch_size;
    int monotonic;
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "$O!OOOOnOOOOOOOpOO!O!OOO!O!O!O!O!O!", names, &PyType_Type,
                                     &handle_type, &gate, &clock, &queue, &flush, &batch_size, &suspended,
                                     &finished, &capture, &held, &report_error, &internal_error, &perf_ns,
                                     &monotonic, &encode, &PyDict_Type, &task_names, &PyDict_Type, &ids,
                                     &cancelled_by, &describe_result, &PyDict_Type, &chain_codes, &PyDict_Type,
                                     &lib_wait_bytes, &PySet_Type, &frameless, &PyDict_Type, &sleep_until,
                                     &PyList_Type, &executor_pending, &PyTuple_Type, &future_types)) {
        return NULL;
    }
    StepRunner *self = (StepRunner *)type->tp_alloc(type, 0);
    if (self == NULL) {
        return NULL;
    }
    self->vectorcall = (vectorcallfunc)step_run;
    PyTypeObject *ht = (PyTypeObject *)handle_type;
    self->handle_type = (PyTypeObject *)Py_NewRef(handle_type);
    self->gate = Py_NewRef(gate);
    self->clock = Py_NewRef(clock);
    self->queue = Py_NewRef(queue);
    self->flush = Py_NewRef(flush);
    self->suspended = Py_NewRef(suspended);
    self->finished = Py_NewRef(finished);
    self->capture = Py_NewRef(capture);
    self->held = Py_NewRef(held);
    self->report_error = Py_NewRef(report_error);
    self->internal_error = Py_NewRef(internal_error);
    self->perf_ns = Py_NewRef(perf_ns);
    self->encode = Py_NewRef(encode);
    self->names = Py_NewRef(task_names);
    self->ids = Py_NewRef(ids);
    self->cancelled_by = Py_NewRef(cancelled_by);
    self->describe_result = Py_NewRef(describe_result);
    self->chain_codes = Py_NewRef(chain_codes);
    self->lib_wait_bytes = Py_NewRef(lib_wait_bytes);
    self->frameless = Py_NewRef(frameless);
    self->sleep_until = Py_NewRef(sleep_until);
    self->executor_pending = Py_NewRef(executor_pending);
    self->future_types = Py_NewRef(future_types);
    self->monotonic = monotonic;
    self->batch_size = batch_size;
    self->queue_append = PyObject_GetAttr(queue, str_append);
    if (self->queue_append == NULL || slot_offset(ht, "_as_task", &self->off_task) < 0 ||
        slot_offset(ht, "_as_tid", &self->off_tid) < 0 || slot_offset(ht, "_context", &self->off_context) < 0 ||
        slot_offset(ht, "_callback", &self->off_callback) < 0 || slot_offset(ht, "_args", &self->off_args) < 0 ||
        slot_offset(ht, "_loop", &self->off_loop) < 0) {
        Py_DECREF(self);
        return NULL;
    }
    return (PyObject *)self;
}

static PyMethodDef step_methods[] = {
    {"running", (PyCFunction)step_running, METH_NOARGS,
     "{thread ident: (step began, task id)} for each thread inside a task step now."},
    {NULL},
};

static PyTypeObject StepRunnerType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "asyncscope.runtime._hotpath.StepRunner",
    .tp_doc = "TaskStepHandle._run, compiled.",
    .tp_basicsize = sizeof(StepRunner),
    FUNCTION_LIKE(StepRunner),
    .tp_new = step_new,
    .tp_dealloc = (destructor)step_dealloc,
    .tp_methods = step_methods,
};

/* ---- CallSoon: BaseEventLoop.call_soon ----------------------------------------------- */

#define MAX_STEP_TYPES 8

typedef struct {
    PyObject_HEAD
    vectorcallfunc vectorcall;
    PyObject *dict;
    PyTypeObject *handle_type;
    PyObject *plain_handle, *step_types, *step_names, *task_types, *ids, *register_, *tracer, *fallback,
        *call_soon_impl, *plain_loops;
    PyTypeObject *step_type_list[MAX_STEP_TYPES];
    Py_ssize_t n_step_types;
    /* Task registration (Tracer._register's common case; see register_task). */
    PyObject *owner, *current_task, *origins, *names, *own_ns, *clock, *queue_append, *encode, *internal_coros,
        *perf_ns, *origin_of, *task_id;
    int monotonic, get_coro_crashes;
    Py_ssize_t off_context, off_loop, off_callback, off_args, off_cancelled, off_repr, off_source_traceback,
        off_task, off_tid;
} CallSoon;

/* Is `callback` a task's step or wakeup? The same test as hooks.py's. */
static int
is_task_step(CallSoon *self, PyObject *callback)
{
    PyTypeObject *type = Py_TYPE(callback);
    for (Py_ssize_t i = 0; i < self->n_step_types; i++) {
        if (type == self->step_type_list[i]) {
            return 1;
        }
    }
    if (type != &PyMethod_Type && type != &PyCFunction_Type) {
        return 0;
    }
    PyObject *name = PyObject_GetAttr(callback, str_name);
    if (name == NULL) {
        return -1;
    }
    int known = PySet_Contains(self->step_names, name);
    Py_DECREF(name);
    if (known <= 0) {
        return known;
    }
    PyObject *owner = PyObject_GetAttr(callback, str_self);
    if (owner == NULL) {
        return -1;
    }
    int is_task = PyObject_IsInstance(owner, self->task_types);
    Py_DECREF(owner);
    return is_task;
}

/* Tracer._register(task, depth=1) for the common case, in the same order and with the same
 * event; the uncommon cases (a task made outside any task, or registered from inside its
 * own eager first step, or one that may crash get_coro()) go to the Python method. */
static PyObject *
user_site(CallSoon *self, PyObject *frame) /* borrowed frame (may be NULL); new ref or None */
{
    PyFrameObject *walk = (PyFrameObject *)Py_XNewRef(frame);
    while (walk != NULL) {
        PyCodeObject *code = PyFrame_GetCode(walk);
        PyObject *origin = PyDict_GetItemWithError(self->origins, code->co_filename); /* Tracer._origins */
        if (origin != NULL) {
            Py_INCREF(origin);
        }
        else if (!PyErr_Occurred()) {
            origin = PyObject_CallOneArg(self->origin_of, (PyObject *)code);
        }
        if (origin == NULL) {
            Py_DECREF(code);
            Py_DECREF(walk);
            return NULL;
        }
        int user = PyUnicode_Check(origin) && PyUnicode_CompareWithASCIIString(origin, "user") == 0;
        Py_DECREF(origin);
        if (user) {
            PyObject *filename = PyObject_GetAttrString((PyObject *)code, "co_filename");
            Py_DECREF(code);
            if (filename == NULL) {
                Py_DECREF(walk);
                return NULL;
            }
            PyObject *where = PyUnicode_FromFormat("%S:%d", filename, PyFrame_GetLineNumber(walk));
            Py_DECREF(filename);
            Py_DECREF(walk);
            return where;
        }
        Py_DECREF(code);
        PyFrameObject *back = PyFrame_GetBack(walk);
        Py_DECREF(walk);
        walk = back;
    }
    Py_RETURN_NONE;
}

static PyObject *
get_attr_or_none(PyObject *obj, PyObject *name)
{
    PyObject *value = PyObject_GetAttr(obj, name);
    if (value == NULL && PyErr_ExceptionMatches(PyExc_AttributeError)) {
        PyErr_Clear();
        return Py_NewRef(Py_None);
    }
    return value;
}

static PyObject *
register_task(CallSoon *self, PyObject *task)
{
    PyObject *tracer = self->owner;
    PyObject *result = NULL;
    PyObject *loop = NULL, *current = NULL, *creating = NULL, *coro = NULL, *qualname = NULL, *parent = NULL,
             *code = NULL, *origin = NULL, *internal = NULL, *name = NULL, *where = NULL, *tid = NULL, *key = NULL;
    long long began;
    if (read_clock(self->perf_ns, self->monotonic, &began) < 0) {
        return NULL;
    }
    loop = PyObject_CallMethodNoArgs(task, str_get_loop);
    current = loop ? PyObject_CallOneArg(self->current_task, loop) : NULL;
    creating = current ? PyObject_GetAttr(tracer, str_creating) : NULL;
    if (creating == NULL) {
        goto done;
    }
    int creating_any = PyObject_IsTrue(creating);
    if (creating_any < 0) {
        goto done;
    }
    int uncommon = current == Py_None || (current == task && creating_any);
    if (!uncommon && self->get_coro_crashes) {
        PyObject *is_done = PyObject_CallMethodNoArgs(task, str_done);
        int finished = is_done ? PyObject_IsTrue(is_done) : -1;
        Py_XDECREF(is_done);
        if (finished < 0) {
            goto done;
        }
        uncommon = finished;
    }
    if (uncommon) {
        /* depth 1: no Python frame of ours stands between the tracer and the caller */
        result = PyObject_CallFunctionObjArgs(self->register_, task, one, NULL);
        goto done;
    }

    /* tid = self._next_tid; self._next_tid = tid + 1; self._ids[id(task)] = tid */
    tid = PyObject_GetAttr(tracer, str_next_tid);
    PyObject *next = tid ? PyNumber_Add(tid, one) : NULL;
    if (next == NULL) {
        goto done;
    }
    int set = PyObject_SetAttr(tracer, str_next_tid, next);
    Py_DECREF(next);
    key = set == 0 ? PyLong_FromVoidPtr(task) : NULL;
    if (key == NULL || PyDict_SetItem(self->ids, key, tid) < 0) {
        goto done;
    }
    PyObject *frame = (PyObject *)PyEval_GetFrame(); /* borrowed: the caller of call_soon */
    coro = PyObject_CallMethodNoArgs(task, str_get_coro);
    if (coro == NULL) {
        goto done;
    }
    qualname = get_attr_or_none(coro, str_qualname);
    if (qualname == NULL) {
        goto done;
    }
    int truthy = PyObject_IsTrue(qualname);
    if (truthy < 0) {
        goto done;
    }
    if (!truthy) {
        Py_SETREF(qualname, PyObject_GetAttr((PyObject *)Py_TYPE(coro), str_name));
        if (qualname == NULL) {
            goto done;
        }
    }
    if (current != task) {
        PyObject *current_key = PyLong_FromVoidPtr(current);
        if (current_key == NULL) {
            goto done;
        }
        parent = PyDict_GetItemWithError(self->ids, current_key);
        Py_DECREF(current_key);
        if (parent != NULL && PyObject_IsTrue(parent) == 1) {
            Py_INCREF(parent);
        }
        else if (PyErr_Occurred()) {
            goto done;
        }
        else {
            parent = PyObject_CallOneArg(self->task_id, current);
            if (parent == NULL) {
                goto done;
            }
        }
    }
    else {
        parent = Py_NewRef(Py_None);
    }
    code = get_attr_or_none(coro, str_cr_code);
    if (code == NULL) {
        goto done;
    }
    truthy = PyObject_IsTrue(code);
    if (truthy < 0) {
        goto done;
    }
    if (!truthy) {
        Py_SETREF(code, get_attr_or_none(coro, str_gi_code));
        if (code == NULL) {
            goto done;
        }
    }
    if (code != Py_None) {
        /* Tracer._origins is keyed by the code's file name; an odd coroutine's code goes to Python */
        origin = PyCode_Check(code) ? PyDict_GetItemWithError(self->origins, ((PyCodeObject *)code)->co_filename) : NULL;
        if (origin != NULL) {
            Py_INCREF(origin);
        }
        else if (!PyErr_Occurred()) {
            origin = PyObject_CallOneArg(self->origin_of, code);
        }
        if (origin == NULL) {
            goto done;
        }
    }
    else {
        origin = Py_NewRef(str_asyncio);
    }
    /* internal = origin != "user" or bool(self._in_shutdown) or qualname in _INTERNAL_COROS */
    int is_internal = PyObject_RichCompareBool(origin, str_user, Py_NE);
    if (is_internal == 0) {
        PyObject *shutdown = PyObject_GetAttr(tracer, str_in_shutdown);
        is_internal = shutdown ? PyObject_IsTrue(shutdown) : -1;
        Py_XDECREF(shutdown);
    }
    if (is_internal == 0) {
        is_internal = PySequence_Contains(self->internal_coros, qualname);
    }
    if (is_internal < 0) {
        goto done;
    }
    internal = Py_NewRef(is_internal ? Py_True : Py_False);
    name = PyObject_CallMethodNoArgs(task, str_get_name);
    if (name == NULL || PyObject_SetItem(self->names, tid, name) < 0) {
        goto done;
    }
    where = user_site(self, frame);
    if (where == NULL) {
        goto done;
    }
    if (where == Py_None && PyObject_RichCompareBool(origin, str_user, Py_EQ) == 1) {
        PyObject *filename = PyObject_GetAttrString(code, "co_filename");
        PyObject *first = filename ? PyObject_GetAttrString(code, "co_firstlineno") : NULL;
        if (first == NULL) {
            Py_XDECREF(filename);
            goto done;
        }
        Py_SETREF(where, PyUnicode_FromFormat("%S:%S", filename, first));
        Py_DECREF(filename);
        Py_DECREF(first);
        if (where == NULL) {
            goto done;
        }
    }
    if (PyErr_Occurred()) {
        goto done;
    }
    {
        /* now = (_perf_ns() - self.clock.origin_ns) / 1e9, then the TaskCreated tuple */
        PyObject *now = clock_now(self->clock, self->perf_ns, self->monotonic);
        if (now == NULL) {
            goto done;
        }
        PyObject *tuple = now ? PyTuple_Pack(10, str_created, now, tid, name, qualname, parent, where, internal,
                                             origin, Py_None)
                              : NULL;
        Py_XDECREF(now);
        if (queue_encoded(self->encode, self->queue_append, tuple) < 0) {
            goto done;
        }
    }
    {
        /* own[me] = own.get(me, 0) + spent; self.clock.discount(spent) */
        long long ended;
        if (read_clock(self->perf_ns, self->monotonic, &ended) < 0) {
            goto done;
        }
        PyObject *me = PyLong_FromUnsignedLong(PyThread_get_thread_ident());
        PyObject *spent = me ? PyLong_FromLongLong(ended - began) : NULL;
        if (spent == NULL) {
            Py_XDECREF(me);
            goto done;
        }
        PyObject *had = PyDict_GetItemWithError(self->own_ns, me);
        PyObject *total = had ? PyNumber_Add(had, spent) : (PyErr_Occurred() ? NULL : Py_NewRef(spent));
        int ok = total != NULL && PyDict_SetItem(self->own_ns, me, total) == 0;
        Py_XDECREF(total);
        Py_DECREF(me);
        PyObject *r = ok ? PyObject_CallMethodOneArg(self->clock, str_discount, spent) : NULL;
        Py_DECREF(spent);
        if (r == NULL) {
            goto done;
        }
        Py_DECREF(r);
    }
    result = Py_NewRef(tid);
done:
    Py_XDECREF(loop);
    Py_XDECREF(current);
    Py_XDECREF(creating);
    Py_XDECREF(coro);
    Py_XDECREF(qualname);
    Py_XDECREF(parent);
    Py_XDECREF(code);
    Py_XDECREF(origin);
    Py_XDECREF(internal);
    Py_XDECREF(name);
    Py_XDECREF(where);
    Py_XDECREF(tid);
    Py_XDECREF(key);
    return result;
}

static PyObject *
call_soon(CallSoon *self, PyObject *const *args, size_t nargsf, PyObject *kwnames)
{
    Py_ssize_t nargs = PyVectorcall_NARGS(nargsf);
    PyObject *context = Py_None;
    if (nargs < 2) {
        goto slow;
    }
    if (kwnames != NULL && PyTuple_GET_SIZE(kwnames) > 0) {
        if (PyTuple_GET_SIZE(kwnames) != 1) {
            goto slow;
        }
        int same = PyUnicode_Compare(PyTuple_GET_ITEM(kwnames, 0), str_context);
        if (same != 0) {
            if (PyErr_Occurred()) {
                return NULL;
            }
            goto slow;
        }
        context = args[nargs];
    }
    PyObject *loop = args[0];
    PyObject *callback = args[1];

    /* Only loop classes whose _call_soon is ours take this path (plain_loop_types). */
    PyObject *plain = PyDict_GetItemWithError(self->plain_loops, (PyObject *)Py_TYPE(loop));
    if (plain == NULL) {
        if (PyErr_Occurred()) {
            return NULL;
        }
        PyObject *theirs = PyObject_GetAttr((PyObject *)Py_TYPE(loop), str_call_soon_impl);
        if (theirs == NULL) {
            PyErr_Clear();
            goto slow;
        }
        plain = theirs == self->call_soon_impl ? Py_True : Py_False;
        Py_DECREF(theirs);
        if (PyDict_SetItem(self->plain_loops, (PyObject *)Py_TYPE(loop), plain) < 0) {
            return NULL;
        }
    }
    if (plain != Py_True) {
        goto slow;
    }
    PyObject *flag = PyObject_GetAttr(loop, str_debug);
    int on = flag ? PyObject_IsTrue(flag) : -1;
    Py_XDECREF(flag);
    if (on != 0) {
        if (on < 0) {
            PyErr_Clear();
        }
        goto slow;
    }
    flag = PyObject_GetAttr(loop, str_closed);
    on = flag ? PyObject_IsTrue(flag) : -1;
    Py_XDECREF(flag);
    if (on != 0) {
        if (on < 0) {
            PyErr_Clear();
        }
        goto slow;
    }

    int step = is_task_step(self, callback);
    if (step < 0) {
        return NULL;
    }
    PyObject *cb_args = PyTuple_New(nargs - 2);
    if (cb_args == NULL) {
        return NULL;
    }
    for (Py_ssize_t i = 2; i < nargs; i++) {
        PyTuple_SET_ITEM(cb_args, i - 2, Py_NewRef(args[i]));
    }
    PyObject *handle;
    if (step) {
        PyObject *task = PyObject_GetAttr(callback, str_self);
        if (task == NULL) {
            Py_DECREF(cb_args);
            return NULL;
        }
        /* Handle.__init__'s work, without its call overhead (not in debug mode). */
        handle = self->handle_type->tp_alloc(self->handle_type, 0);
        if (handle == NULL) {
            Py_DECREF(task);
            Py_DECREF(cb_args);
            return NULL;
        }
        PyObject *ctx = context == Py_None ? PyContext_CopyCurrent() : Py_NewRef(context);
        if (ctx == NULL) {
            Py_DECREF(task);
            Py_DECREF(cb_args);
            Py_DECREF(handle);
            return NULL;
        }
        set_slot(handle, self->off_context, ctx);
        set_slot(handle, self->off_loop, Py_NewRef(loop));
        set_slot(handle, self->off_callback, Py_NewRef(callback));
        set_slot(handle, self->off_args, cb_args);
        set_slot(handle, self->off_cancelled, Py_NewRef(Py_False));
        set_slot(handle, self->off_repr, Py_NewRef(Py_None));
        set_slot(handle, self->off_source_traceback, Py_NewRef(Py_None));
        set_slot(handle, self->off_task, Py_NewRef(task));
        PyObject *key = PyLong_FromVoidPtr(task);
        if (key == NULL) {
            Py_DECREF(task);
            Py_DECREF(handle);
            return NULL;
        }
        PyObject *tid = PyDict_GetItemWithError(self->ids, key);
        if (tid != NULL) {
            Py_INCREF(tid);
        }
        else if (!PyErr_Occurred()) {
            tid = register_task(self, task);
        }
        Py_DECREF(task);
        if (tid == NULL) {
            Py_DECREF(key);
            Py_DECREF(handle);
            return NULL;
        }
        set_slot(handle, self->off_tid, tid);
        if (self->tracer != Py_None) {
            /* an id, not the task: never keep a task alive */
            if (PyObject_SetAttr(self->tracer, str_last_scheduled, key) < 0) {
                Py_DECREF(key);
                Py_DECREF(handle);
                return NULL;
            }
        }
        Py_DECREF(key);
    }
    else {
        PyObject *handle_args[4] = {callback, cb_args, loop, context};
        handle = PyObject_Vectorcall(self->plain_handle, handle_args, 4, NULL);
        Py_DECREF(cb_args);
        if (handle == NULL) {
            return NULL;
        }
    }
    PyObject *ready = PyObject_GetAttr(loop, str_ready);
    if (ready == NULL) {
        Py_DECREF(handle);
        return NULL;
    }
    PyObject *r = PyObject_CallMethodOneArg(ready, str_append, handle);
    Py_DECREF(ready);
    if (r == NULL) {
        Py_DECREF(handle);
        return NULL;
    }
    Py_DECREF(r);
    return handle;

slow:
    return PyObject_Vectorcall(self->fallback, args, nargs, kwnames);
}

static void
soon_dealloc(CallSoon *self)
{
    Py_XDECREF(self->dict);
    Py_XDECREF(self->handle_type);
    Py_XDECREF(self->plain_handle);
    Py_XDECREF(self->step_types);
    Py_XDECREF(self->step_names);
    Py_XDECREF(self->task_types);
    Py_XDECREF(self->ids);
    Py_XDECREF(self->register_);
    Py_XDECREF(self->tracer);
    Py_XDECREF(self->fallback);
    Py_XDECREF(self->call_soon_impl);
    Py_XDECREF(self->plain_loops);
    Py_XDECREF(self->owner);
    Py_XDECREF(self->current_task);
    Py_XDECREF(self->origins);
    Py_XDECREF(self->names);
    Py_XDECREF(self->own_ns);
    Py_XDECREF(self->clock);
    Py_XDECREF(self->queue_append);
    Py_XDECREF(self->encode);
    Py_XDECREF(self->internal_coros);
    Py_XDECREF(self->perf_ns);
    Py_XDECREF(self->origin_of);
    Py_XDECREF(self->task_id);
    Py_TYPE(self)->tp_free((PyObject *)self);
}

static PyObject *
soon_new(PyTypeObject *type, PyObject *args, PyObject *kwargs)
{
    static char *names[] = {"handle_type", "plain_handle", "step_types", "step_names", "task_types", "ids",
                            "register", "tracer", "fallback", "call_soon_impl", "owner", "current_task",
                            "origins", "names", "own_ns", "clock", "queue", "encode", "internal_coros",
                            "perf_ns", "monotonic", "origin_of", "task_id", "get_coro_crashes", NULL};
    PyObject *handle_type, *plain_handle, *step_types, *step_names, *task_types, *ids, *register_, *tracer,
        *fallback, *call_soon_impl, *owner, *current_task, *origins, *task_names, *own_ns, *clock, *queue, *encode,
        *internal_coros, *perf_ns, *origin_of, *task_id;
    int monotonic, get_coro_crashes;
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "$O!OO!O!O!O!OOOOOOO!O!O!OOOOOpOOp", names, &PyType_Type,
                                     &handle_type, &plain_handle, &PyTuple_Type, &step_types, &PyFrozenSet_Type,
                                     &step_names, &PyTuple_Type, &task_types, &PyDict_Type, &ids, &register_,
                                     &tracer, &fallback, &call_soon_impl, &owner, &current_task, &PyDict_Type,
                                     &origins, &PyDict_Type, &task_names, &PyDict_Type, &own_ns, &clock, &queue,
                                     &encode, &internal_coros, &perf_ns, &monotonic, &origin_of, &task_id,
                                     &get_coro_crashes)) {
        return NULL;
    }
    if (PyTuple_GET_SIZE(step_types) > MAX_STEP_TYPES) {
        PyErr_SetString(PyExc_ValueError, "too many step callback types");
        return NULL;
    }
    CallSoon *self = (CallSoon *)type->tp_alloc(type, 0);
    if (self == NULL) {
        return NULL;
    }
    self->vectorcall = (vectorcallfunc)call_soon;
    PyTypeObject *ht = (PyTypeObject *)handle_type;
    self->handle_type = (PyTypeObject *)Py_NewRef(handle_type);
    self->plain_handle = Py_NewRef(plain_handle);
    self->step_types = Py_NewRef(step_types);
    self->step_names = Py_NewRef(step_names);
    self->task_types = Py_NewRef(task_types);
    self->ids = Py_NewRef(ids);
    self->register_ = Py_NewRef(register_);
    self->tracer = Py_NewRef(tracer);
    self->fallback = Py_NewRef(fallback);
    self->call_soon_impl = Py_NewRef(call_soon_impl);
    self->owner = Py_NewRef(owner);
    self->current_task = Py_NewRef(current_task);
    self->origins = Py_NewRef(origins);
    self->names = Py_NewRef(task_names);
    self->own_ns = Py_NewRef(own_ns);
    self->clock = Py_NewRef(clock);
    self->encode = Py_NewRef(encode);
    self->internal_coros = Py_NewRef(internal_coros);
    self->perf_ns = Py_NewRef(perf_ns);
    self->origin_of = Py_NewRef(origin_of);
    self->task_id = Py_NewRef(task_id);
    self->monotonic = monotonic;
    self->get_coro_crashes = get_coro_crashes;
    self->queue_append = PyObject_GetAttr(queue, str_append);
    self->plain_loops = PyDict_New();
    self->n_step_types = PyTuple_GET_SIZE(step_types);
    for (Py_ssize_t i = 0; i < self->n_step_types; i++) {
        PyObject *item = PyTuple_GET_ITEM(step_types, i);
        if (!PyType_Check(item)) {
            PyErr_SetString(PyExc_TypeError, "step_types must hold types");
            Py_DECREF(self);
            return NULL;
        }
        self->step_type_list[i] = (PyTypeObject *)item;
    }
    if (self->queue_append == NULL || self->plain_loops == NULL ||
        slot_offset(ht, "_context", &self->off_context) < 0 ||
        slot_offset(ht, "_loop", &self->off_loop) < 0 || slot_offset(ht, "_callback", &self->off_callback) < 0 ||
        slot_offset(ht, "_args", &self->off_args) < 0 || slot_offset(ht, "_cancelled", &self->off_cancelled) < 0 ||
        slot_offset(ht, "_repr", &self->off_repr) < 0 ||
        slot_offset(ht, "_source_traceback", &self->off_source_traceback) < 0 ||
        slot_offset(ht, "_as_task", &self->off_task) < 0 || slot_offset(ht, "_as_tid", &self->off_tid) < 0) {
        Py_DECREF(self);
        return NULL;
    }
    return (PyObject *)self;
}

static PyTypeObject CallSoonType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "asyncscope.runtime._hotpath.CallSoon",
    .tp_doc = "BaseEventLoop.call_soon with the task-step test, compiled.",
    .tp_basicsize = sizeof(CallSoon),
    FUNCTION_LIKE(CallSoon),
    .tp_new = soon_new,
    .tp_dealloc = (destructor)soon_dealloc,
};

/* ---- IdTable: id(object) -> resource id, compactly ---------------------------------- */

/* What ResourceWatch._ids is on the compiled path: a dict's get/pop/[]= over `id(obj)`,
 * stored in a flat open-addressing table of (address, id) pairs. A program that makes
 * 100,000 locks leaves as many stale entries behind (an entry is only replaced when its
 * address is reused), and the dict of them, a PyLong key and value each, made each lookup
 * three cache misses: 10% of the resources workload's time went to those lookups. */
typedef struct {
    uintptr_t key; /* 0: empty */
    long long rid;
} IdSlot;

typedef struct {
    PyObject_HEAD
    IdSlot *slots;
    size_t mask;
    int shift;
    Py_ssize_t used;
} IdTable;

static inline size_t
id_home(IdTable *t, uintptr_t key)
{
    /* Neighbours stay neighbours: within a 1 MiB window (pymalloc's arena) an address keeps
     * its order, so resources made one after another share cache lines here too; windows
     * are scattered by a multiplicative hash of their number. */
    unsigned long long window = ((unsigned long long)key >> 20) * 0x9E3779B97F4A7C15ULL;
    return (size_t)((window >> 40) + ((unsigned long long)key >> 4)) & t->mask;
}

static IdSlot *
id_find(IdTable *t, uintptr_t key)
{
    for (size_t i = id_home(t, key);; i = (i + 1) & t->mask) {
        IdSlot *slot = &t->slots[i];
        if (slot->key == key || slot->key == 0) {
            return slot;
        }
    }
}

static int
id_resize(IdTable *t, size_t capacity)
{
    IdSlot *old = t->slots;
    size_t old_capacity = old ? t->mask + 1 : 0;
    IdSlot *slots = PyMem_Calloc(capacity, sizeof(IdSlot));
    if (slots == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    int bits = 0;
    while (((size_t)1 << bits) < capacity) bits++;
    t->slots = slots;
    t->mask = capacity - 1;
    t->shift = 64 - bits;
    for (size_t i = 0; i < old_capacity; i++) {
        if (old[i].key != 0) {
            *id_find(t, old[i].key) = old[i];
        }
    }
    PyMem_Free(old);
    return 0;
}

static int
id_set(IdTable *t, uintptr_t key, long long rid)
{
    if ((size_t)(t->used + 1) * 2 > t->mask + 1 && id_resize(t, (t->mask + 1) * 2) < 0) {
        return -1;
    }
    IdSlot *slot = id_find(t, key);
    if (slot->key == 0) {
        slot->key = key;
        t->used++;
    }
    slot->rid = rid;
    return 0;
}

/* 1 and *rid when found, else 0 */
static int
id_get(IdTable *t, uintptr_t key, long long *rid)
{
    IdSlot *slot = id_find(t, key);
    if (slot->key == 0) {
        return 0;
    }
    *rid = slot->rid;
    return 1;
}

/* Remove `key` (backward-shift deletion: no tombstones); 1 and *rid when it was there. */
static int
id_pop(IdTable *t, uintptr_t key, long long *rid)
{
    IdSlot *slot = id_find(t, key);
    if (slot->key == 0) {
        return 0;
    }
    *rid = slot->rid;
    size_t i = (size_t)(slot - t->slots), j = i;
    for (;;) {
        j = (j + 1) & t->mask;
        if (t->slots[j].key == 0) {
            break;
        }
        size_t home = id_home(t, t->slots[j].key);
        /* the entry at j may move to i when its home is not cyclically within (i, j] */
        if ((j > i) ? (home <= i || home > j) : (home <= i && home > j)) {
            t->slots[i] = t->slots[j];
            i = j;
        }
    }
    t->slots[i].key = 0;
    t->used--;
    return 1;
}

static int
id_key(PyObject *key, uintptr_t *out)
{
    void *p = PyLong_AsVoidPtr(key);
    if (p == NULL) {
        if (!PyErr_Occurred()) {
            PyErr_SetString(PyExc_KeyError, "0");
        }
        return -1;
    }
    *out = (uintptr_t)p;
    return 0;
}

static PyObject *
idtable_new(PyTypeObject *type, PyObject *args, PyObject *kwargs)
{
    if (!PyArg_ParseTuple(args, ":IdTable")) {
        return NULL;
    }
    IdTable *self = (IdTable *)type->tp_alloc(type, 0);
    if (self == NULL) {
        return NULL;
    }
    if (id_resize(self, 1024) < 0) {
        Py_DECREF(self);
        return NULL;
    }
    return (PyObject *)self;
}

static void
idtable_dealloc(IdTable *self)
{
    PyMem_Free(self->slots);
    Py_TYPE(self)->tp_free((PyObject *)self);
}

static PyObject *
idtable_get(IdTable *self, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs < 1 || nargs > 2) {
        PyErr_SetString(PyExc_TypeError, "get(key, default=None)");
        return NULL;
    }
    uintptr_t key;
    long long rid;
    if (id_key(args[0], &key) < 0) {
        return NULL;
    }
    if (id_get(self, key, &rid)) {
        return PyLong_FromLongLong(rid);
    }
    return Py_NewRef(nargs == 2 ? args[1] : Py_None);
}

static PyObject *
idtable_pop(IdTable *self, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs < 1 || nargs > 2) {
        PyErr_SetString(PyExc_TypeError, "pop(key[, default])");
        return NULL;
    }
    uintptr_t key;
    long long rid;
    if (id_key(args[0], &key) < 0) {
        return NULL;
    }
    if (id_pop(self, key, &rid)) {
        return PyLong_FromLongLong(rid);
    }
    if (nargs == 2) {
        return Py_NewRef(args[1]);
    }
    PyErr_SetObject(PyExc_KeyError, args[0]);
    return NULL;
}

static Py_ssize_t
idtable_len(IdTable *self)
{
    return self->used;
}

static PyObject *
idtable_subscript(IdTable *self, PyObject *key_obj)
{
    uintptr_t key;
    long long rid;
    if (id_key(key_obj, &key) < 0) {
        return NULL;
    }
    if (!id_get(self, key, &rid)) {
        PyErr_SetObject(PyExc_KeyError, key_obj);
        return NULL;
    }
    return PyLong_FromLongLong(rid);
}

static int
idtable_ass_subscript(IdTable *self, PyObject *key_obj, PyObject *value)
{
    uintptr_t key;
    long long rid;
    if (id_key(key_obj, &key) < 0) {
        return -1;
    }
    if (value == NULL) {
        if (!id_pop(self, key, &rid)) {
            PyErr_SetObject(PyExc_KeyError, key_obj);
            return -1;
        }
        return 0;
    }
    rid = as_long_long(value);
    if (rid == -1 && PyErr_Occurred()) {
        return -1;
    }
    return id_set(self, key, rid);
}

static int
idtable_contains(IdTable *self, PyObject *key_obj)
{
    uintptr_t key;
    long long rid;
    if (id_key(key_obj, &key) < 0) {
        return -1;
    }
    return id_get(self, key, &rid);
}

static PyMethodDef idtable_methods[] = {
    {"get", (PyCFunction)(void (*)(void))idtable_get, METH_FASTCALL, "get(id, default=None)"},
    {"pop", (PyCFunction)(void (*)(void))idtable_pop, METH_FASTCALL, "pop(id[, default])"},
    {NULL},
};

static PyMappingMethods idtable_mapping = {
    .mp_length = (lenfunc)idtable_len,
    .mp_subscript = (binaryfunc)idtable_subscript,
    .mp_ass_subscript = (objobjargproc)idtable_ass_subscript,
};

static PySequenceMethods idtable_sequence = {
    .sq_contains = (objobjproc)idtable_contains,
};

static PyTypeObject IdTableType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "asyncscope.runtime._hotpath.IdTable",
    .tp_doc = "id(object) -> resource id: a dict's get, pop, [] and len, stored flat.",
    .tp_basicsize = sizeof(IdTable),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_new = idtable_new,
    .tp_dealloc = (destructor)idtable_dealloc,
    .tp_methods = idtable_methods,
    .tp_as_mapping = &idtable_mapping,
    .tp_as_sequence = &idtable_sequence,
};

/* ---- Resources: asyncio's locks, events and queues (resources.py's common cases) ------ */

/* ResourceCore holds what ResourceWatch shares with its compiled hooks: the same dicts, the
 * id counter (`count`, which the Python path increments too), the emitter. Two callable and
 * descriptor types use it:
 *
 *   ResourceCall  a wrapped `__init__` (mode 0: then the register of ResourceWatch.register's
 *                 common case) or `Queue.put_nowait`/`get_nowait` (mode 1: then the queue's
 *                 size reported, as ResourceWatch.queue_changed does).
 *   ResourceAttr  the `__setattr__` of Lock (watching `_locked`, mode 0), Event (`_value`,
 *                 mode 2) and Semaphore (`_value`, mode 1: the Python handler it was given),
 *                 where the pure path puts a _WriteWatch descriptor; reads stay native.
 *
 * Whatever is not the common case (a creating line not seen yet, a Condition, a class whose
 * kind is not known yet) goes to the Python methods, which fill the caches read here. A
 * failure of this work goes to ResourceWatch._fail and never reaches the program; what the
 * wrapped method raises is raised unchanged. */

/* A creating line's entry in ResourceWatch._code_sites, by code object and instruction
 * offset, remembered here: the dict's way costs two ints made and two lookups for every
 * resource, a queue's inner event included. Strong references: a code object's address
 * cannot be reused while it is remembered. */
#define SITE_CACHE 64
typedef struct {
    PyObject *code;
    int lasti;
    PyObject *site;
} SiteEntry;

typedef struct {
    PyObject_HEAD
    PyObject *watch, *ids, *holders, *code_sites, *kinds, *outermost, *find_outermost, *condition,
        *clock, *perf_ns, *encode, *queue, *queue_append, *flush, *get_running_loop, *current_task,
        *task_ids, *failed_task_ids;
    StepRunner *steps; /* NULL, or the compiled TaskStepHandle._run: which loop runs a step here */
    PyObject *plain_qsize; /* asyncio's Queue.qsize: a queue that keeps it is measured as it does */
    PyObject *type_facts; /* class -> (kind, class name, 1 value / 2 maxsize / 3 parties / 0) */
    SiteEntry sites[SITE_CACHE]; /* the creating lines met last (see site_known) */
    Py_ssize_t count;
    Py_ssize_t batch_size;
    int monotonic;
} ResourceCore;

typedef struct {
    PyObject_HEAD
    vectorcallfunc vectorcall;
    PyObject *dict;
    ResourceCore *core;
    PyObject *original;
    int mode;
} ResourceCall;

typedef struct {
    PyObject_HEAD
    vectorcallfunc vectorcall;
    PyObject *dict;
    ResourceCore *core;
    PyObject *name, *changed;
    int mode;
} ResourceAttr;

static PyObject *str_queue_suffix, *str_resource_tag, *str_res_state, *str_fail, *str_register, *str_kind_of, *str_value_attr,
    *str_maxsize, *str_parties, *str_qsize, *str_started, *str_current, *str_queue_attr;

/* The failure of our own work, handed to ResourceWatch._fail (said once, never raised). */
static void
resource_failed(ResourceCore *core)
{
    PyObject *exc = take_exception();
    if (exc == NULL) {
        return;
    }
    PyObject *r = PyObject_CallMethodOneArg(core->watch, str_fail, exc);
    Py_DECREF(exc);
    if (r == NULL) {
        PyErr_Clear();
    }
    Py_XDECREF(r);
}

/* Program time now, as ResourceWatch._now: 0.0 before the clock started. */
static PyObject *
resource_now(ResourceCore *core)
{
    PyObject *started = clock_attr(core->clock, &clock_off_started, str_started);
    if (started == NULL) {
        return NULL;
    }
    int truth = PyObject_IsTrue(started);
    Py_DECREF(started);
    if (truth <= 0) {
        return truth < 0 ? NULL : PyFloat_FromDouble(0.0);
    }
    return clock_now(core->clock, core->perf_ns, core->monotonic);
}

/* Queue the event made of `items` (n of them) and flush a full batch: its bytes written here
 * when every item is simple (pack_event), else the tuple encoded by msgspec. */
static int
resource_send(ResourceCore *core, PyObject *const *items, Py_ssize_t n)
{
    PyObject *encoded = pack_event(items, n);
    if (encoded == NULL) {
        if (PyErr_Occurred()) {
            return -1;
        }
        PyObject *tuple = PyTuple_New(n);
        if (tuple == NULL) {
            return -1;
        }
        for (Py_ssize_t i = 0; i < n; i++) {
            PyTuple_SET_ITEM(tuple, i, Py_NewRef(items[i]));
        }
        encoded = PyObject_CallOneArg(core->encode, tuple);
        Py_DECREF(tuple);
        if (encoded == NULL) {
            return -1;
        }
    }
    PyObject *r = PyObject_CallOneArg(core->queue_append, encoded);
    Py_DECREF(encoded);
    if (r == NULL) {
        return -1;
    }
    Py_DECREF(r);
    Py_ssize_t queued = PyObject_Size(core->queue);
    if (queued < 0) {
        return -1;
    }
    if (queued >= core->batch_size) {
        r = PyObject_CallNoArgs(core->flush);
        if (r == NULL) {
            return -1;
        }
        Py_DECREF(r);
    }
    return 0;
}

/* ("res-state", t, rid, holders, value, size, set), as ResourceWatch._report sends it. */
static int
resource_report(ResourceCore *core, PyObject *rid, PyObject *value, PyObject *size, PyObject *set)
{
    PyObject *holders = PyDict_GetItemWithError(core->holders, rid);
    if (holders == NULL) {
        if (PyErr_Occurred()) {
            return -1;
        }
        holders = PyTuple_New(0);
    }
    else if (PyLong_Check(holders)) {
        holders = PyTuple_Pack(1, holders); /* a lock's one holder, kept as its id (ResourceWatch._holders) */
    }
    else {
        Py_INCREF(holders);
    }
    PyObject *now = holders ? resource_now(core) : NULL;
    int status = -1;
    if (now != NULL) {
        PyObject *items[7] = {str_res_state, now, rid, holders, value, size, set};
        status = resource_send(core, items, 7);
    }
    Py_XDECREF(now);
    Py_XDECREF(holders);
    return status;
}

/* The resource id of `obj`, a new reference, or NULL (none, or an error: check PyErr_Occurred). */
static PyObject *
resource_id_of(ResourceCore *core, PyObject *obj)
{
    long long rid;
    if (!id_get((IdTable *)core->ids, (uintptr_t)obj, &rid)) {
        return NULL;
    }
    return PyLong_FromLongLong(rid);
}

/* ResourceWatch._made's common case: an id, and ("resource", ...) sent. */
static int
resource_made(ResourceCore *core, PyObject *obj, PyObject *name, PyObject *where, PyObject *origin)
{
    int status = -1;
    PyObject *rid = NULL, *kind = NULL, *cls_name = NULL, *now = NULL, *value = NULL, *maxsize = NULL,
        *parties = NULL;
    PyObject *cls = (PyObject *)Py_TYPE(obj);
    core->count += 1;
    if ((rid = PyLong_FromSsize_t(core->count)) == NULL ||
        id_set((IdTable *)core->ids, (uintptr_t)obj, (long long)core->count) < 0) {
        goto out;
    }
    /* (kind, class name, what the kind holds) once per class */
    PyObject *facts = PyDict_GetItemWithError(core->type_facts, cls);
    if (facts == NULL) {
        if (PyErr_Occurred()) {
            goto out;
        }
        kind = PyDict_GetItemWithError(core->kinds, cls);
        if (kind != NULL) {
            Py_INCREF(kind);
        }
        else if (PyErr_Occurred() || (kind = PyObject_CallMethodOneArg(core->watch, str_kind_of, cls)) == NULL) {
            goto out;
        }
        if ((cls_name = PyObject_GetAttr(cls, str_name)) == NULL) {
            goto out;
        }
        long holds = 0;
        if (PyUnicode_Check(kind)) {
            if (PyUnicode_CompareWithASCIIString(kind, "Semaphore") == 0 ||
                PyUnicode_CompareWithASCIIString(kind, "BoundedSemaphore") == 0) {
                holds = 1; /* a value */
            }
            else if (PyUnicode_GET_LENGTH(kind) >= 5 &&
                     PyUnicode_Tailmatch(kind, str_queue_suffix, 0, PY_SSIZE_T_MAX, 1) == 1) {
                holds = 2; /* a maxsize */
            }
            else if (PyUnicode_CompareWithASCIIString(kind, "Barrier") == 0) {
                holds = 3; /* parties */
            }
        }
        facts = Py_BuildValue("(OOl)", kind, cls_name, holds);
        if (facts == NULL || PyDict_SetItem(core->type_facts, cls, facts) < 0) {
            Py_XDECREF(facts);
            goto out;
        }
        Py_DECREF(facts); /* the dict keeps it */
        Py_CLEAR(kind);
        Py_CLEAR(cls_name);
    }
    kind = Py_NewRef(PyTuple_GET_ITEM(facts, 0));
    cls_name = Py_NewRef(PyTuple_GET_ITEM(facts, 1));
    long holds = PyLong_AsLong(PyTuple_GET_ITEM(facts, 2));
    /* What the instance holds, read as asyncio reads it (not through __dict__: see resource_setattr) */
    if ((holds == 1 && lookup_attr(obj, str_value_attr, &value) < 0) ||
        (holds == 2 && lookup_attr(obj, str_maxsize, &maxsize) < 0) ||
        (holds == 3 && lookup_attr(obj, str_parties, &parties) < 0) || (now = resource_now(core)) == NULL) {
        goto out;
    }
    {
        PyObject *items[12] = {str_resource_tag, now, rid, kind, cls_name, name, where, origin,
                               value ? value : Py_None, maxsize ? maxsize : Py_None, parties ? parties : Py_None,
                               Py_None};
        status = resource_send(core, items, 12);
    }
out:
    Py_XDECREF(rid);
    Py_XDECREF(kind);
    Py_XDECREF(cls_name);
    Py_XDECREF(now);
    Py_XDECREF(value);
    Py_XDECREF(maxsize);
    Py_XDECREF(parties);
    return status;
}

/* resource_register's common case, the creating line's `site` found: 0 done, -1 failed,
 * 1 for the Python path to do it (a Condition, or a site not laid out as expected). */
static int
resource_register_at(ResourceCore *core, PyObject *obj, PyObject *site)
{
    PyObject *where = PyTuple_GET_ITEM(site, 0), *origin = PyTuple_GET_ITEM(site, 1),
             *names = PyTuple_GET_ITEM(site, 2), *made = PyTuple_GET_ITEM(site, 3);
    if (names == Py_None) {
        /* asyncio's own: nothing kept, and a dead resource's id at this address forgotten */
        long long gone;
        id_pop((IdTable *)core->ids, (uintptr_t)obj, &gone);
        return 0;
    }
    int is_condition = PyObject_IsInstance(obj, core->condition);
    if (is_condition != 0) {
        return is_condition < 0 ? -1 : 1; /* a condition's lock is said with it */
    }
    if (!PyList_Check(names) || !PyList_Check(made) || PyList_GET_SIZE(made) != 1) {
        return 1;
    }
    PyObject *name = Py_None;
    Py_ssize_t count = PyList_GET_SIZE(names);
    if (count > 0) {
        long n = PyLong_AsLong(PyList_GET_ITEM(made, 0));
        if (n == -1 && PyErr_Occurred()) {
            return -1;
        }
        PyObject *next = PyLong_FromLong(n + 1);
        if (next == NULL) {
            return -1;
        }
        PyList_SetItem(made, 0, next); /* steals next */
        name = PyList_GET_ITEM(names, (n + 1) % count);
    }
    Py_INCREF(name);
    int status = resource_made(core, obj, name, where, origin);
    Py_DECREF(name);
    return status;
}

/* What ResourceWatch._code_sites says of the line at `lasti` in `code`, borrowed (kept by
 * the cache or the dict), or NULL: not met yet, or an error (check PyErr_Occurred). */
static PyObject *
site_known(ResourceCore *core, PyCodeObject *code, int lasti)
{
    SiteEntry *entry = &core->sites[(((uintptr_t)code >> 4) ^ (uintptr_t)(unsigned)lasti) & (SITE_CACHE - 1)];
    if (entry->code == (PyObject *)code && entry->lasti == lasti) {
        return entry->site;
    }
    PyObject *site = NULL;
    PyObject *key = PyLong_FromVoidPtr(code);
    PyObject *known = key ? PyDict_GetItemWithError(core->code_sites, key) : NULL;
    Py_XDECREF(key);
    if (known != NULL && PyTuple_Check(known) && PyTuple_GET_SIZE(known) == 2 &&
        PyTuple_GET_ITEM(known, 0) == (PyObject *)code) {
        PyObject *at = PyLong_FromLong(lasti);
        site = at ? PyDict_GetItemWithError(PyTuple_GET_ITEM(known, 1), at) : NULL;
        Py_XDECREF(at);
    }
    if (site == NULL || !PyTuple_Check(site) || PyTuple_GET_SIZE(site) != 4) {
        return NULL;
    }
    PyObject *old_code = entry->code, *old_site = entry->site;
    entry->code = Py_NewRef(code);
    entry->lasti = lasti;
    entry->site = Py_NewRef(site);
    Py_XDECREF(old_code);
    Py_XDECREF(old_site);
    return site;
}

/* ResourceWatch.register's common case, called by the outermost wrapped __init__ once it
 * returned: the creating line looked up by the frame that called the class. */
static int
resource_register(ResourceCore *core, PyObject *obj)
{
    int at = -1;
    PyCodeObject *code = running_code(&at); /* the caller's (this call has no frame) */
    PyObject *site = NULL;
    if (code != NULL) {
        site = site_known(core, code, at);
        Py_DECREF(code);
        if (PyErr_Occurred()) {
            return -1;
        }
    }
    if (site == NULL || !PyTuple_Check(site) || PyTuple_GET_SIZE(site) != 4) {
        goto python; /* a line not met yet: the Python path works it out and caches it */
    }
    Py_INCREF(site); /* its items are used below while Python code may run (a flush) */
    int status = resource_register_at(core, obj, site);
    Py_DECREF(site);
    if (status != 1) {
        return status;
    }
python:;
    PyFrameObject *frame = PyEval_GetFrame(); /* borrowed: the caller; made only for a line not met yet */
    PyObject *r = PyObject_CallMethodObjArgs(core->watch, str_register, obj, frame ? (PyObject *)frame : Py_None,
                                             NULL);
    Py_XDECREF(r);
    return r == NULL ? -1 : 0;
}

/* The id of the task running now, as ResourceWatch._current: a new reference, or Py_None. */
static PyObject *
resource_current(ResourceCore *core)
{
    PyObject *loop = core->steps ? Py_XNewRef(step_loop(core->steps)) : NULL;
    if (loop == NULL) { /* no step of ours runs here: ask asyncio */
        loop = PyObject_CallNoArgs(core->get_running_loop);
        if (loop == NULL || loop == Py_None) {
            return loop;
        }
    }
    PyObject *task = PyObject_CallOneArg(core->current_task, loop);
    Py_DECREF(loop);
    if (task == NULL || task == Py_None) {
        return task;
    }
    PyObject *key = PyLong_FromVoidPtr(task);
    Py_DECREF(task);
    if (key == NULL) {
        return NULL;
    }
    PyObject *tid = PyDict_GetItemWithError(core->task_ids, key);
    if (tid == NULL && !PyErr_Occurred()) {
        tid = PyDict_GetItemWithError(core->failed_task_ids, key);
    }
    Py_DECREF(key);
    if (tid == NULL) { /* an eager task's first step (3.12+): ResourceWatch._current registers it */
        return PyErr_Occurred() ? NULL : PyObject_CallMethodNoArgs(core->watch, str_current);
    }
    return Py_NewRef(tid);
}

/* queue.qsize(), a new reference: len(queue._queue) where the class keeps asyncio's qsize
 * (which says exactly that), without the call and its frame; else the class's own. */
static PyObject *
queue_size(ResourceCore *core, PyObject *queue)
{
    PyObject *method = PyObject_GetAttr((PyObject *)Py_TYPE(queue), str_qsize);
    if (method == NULL) {
        return NULL;
    }
    Py_DECREF(method); /* compared only: the class keeps it */
    if (method == core->plain_qsize) {
        PyObject *items = NULL;
        if (lookup_attr(queue, str_queue_attr, &items) > 0) {
            Py_ssize_t size = PyObject_Length(items);
            Py_DECREF(items);
            return size < 0 ? NULL : PyLong_FromSsize_t(size);
        }
        if (PyErr_Occurred()) {
            return NULL;
        }
    }
    return PyObject_CallMethodNoArgs(queue, str_qsize);
}

static PyObject *
resource_call(ResourceCall *self, PyObject *const *args, size_t nargsf, PyObject *kwnames)
{
    PyObject *result = PyObject_Vectorcall(self->original, args, nargsf, kwnames);
    if (result == NULL || PyVectorcall_NARGS(nargsf) < 1) {
        return result;
    }
    PyObject *obj = args[0];
    ResourceCore *core = self->core;
    int status = 0;
    if (self->mode == 0) {
        /* once, by the most derived asyncio class's __init__ */
        PyObject *cls = (PyObject *)Py_TYPE(obj);
        PyObject *outermost = PyDict_GetItemWithError(core->outermost, cls);
        if (outermost != NULL) {
            Py_INCREF(outermost);
        }
        else if (!PyErr_Occurred()) {
            outermost = PyObject_CallOneArg(core->find_outermost, cls);
        }
        if (outermost == NULL) {
            status = -1;
        }
        else {
            if (outermost == (PyObject *)self) {
                status = resource_register(core, obj);
            }
            Py_DECREF(outermost);
        }
    }
    else {
        PyObject *rid = resource_id_of(core, obj);
        if (rid != NULL) {
            PyObject *size = queue_size(core, obj);
            status = size ? resource_report(core, rid, Py_None, size, Py_None) : -1;
            Py_XDECREF(size);
            Py_DECREF(rid);
        }
        else if (PyErr_Occurred()) {
            status = -1;
        }
    }
    if (status < 0) {
        resource_failed(core);
    }
    return result;
}

static int
resource_attr_changed(ResourceAttr *self, PyObject *obj, PyObject *before, PyObject *value)
{
    ResourceCore *core = self->core;
    if (self->mode == 1) {
        PyObject *r = PyObject_CallFunctionObjArgs(self->changed, obj, before, value, NULL);
        Py_XDECREF(r);
        return r == NULL ? -1 : 0;
    }
    /* a write that changes nothing first (Queue.put_nowait clears its inner event every
     * time): no id looked up, and the id table is the one cold read here */
    int was = PyObject_IsTrue(before), is = was < 0 ? -1 : PyObject_IsTrue(value);
    if (is < 0 || was == is) {
        return is < 0 ? -1 : 0;
    }
    PyObject *rid = resource_id_of(core, obj);
    if (rid == NULL) {
        return PyErr_Occurred() ? -1 : 0;
    }
    int status = -1;
    if (self->mode == 2) { /* Event._value */
        status = resource_report(core, rid, Py_None, Py_None, is ? Py_True : Py_False);
    }
    else { /* Lock._locked: the holder is the task that took it; none once released */
        PyObject *task = is ? resource_current(core) : Py_NewRef(Py_None);
        if (task != NULL) {
            if (task != Py_None) {
                status = PyDict_SetItem(core->holders, rid, task);
            }
            else {
                PyObject *gone = NULL;
                status = PyDict_Pop_compat(core->holders, rid, &gone) < 0 ? -1 : 0;
                Py_XDECREF(gone);
            }
            Py_DECREF(task);
            if (status == 0) {
                status = resource_report(core, rid, Py_None, Py_None, Py_None);
            }
        }
    }
    Py_DECREF(rid);
    return status;
}

/* The class's __setattr__: a write of the watched attribute reports once it is stored (the
 * first, in __init__, changes nothing). Every write is stored by object.__setattr__, so the
 * instance keeps its compact attribute storage: a descriptor on the class would have to
 * write through the instance's __dict__, and asking for it makes a dict per object (which
 * cost this workload a fifth of its time, much of it in the collections those dicts
 * triggered). */
static PyObject *
resource_setattr(ResourceAttr *self, PyObject *const *args, size_t nargsf, PyObject *kwnames)
{
    Py_ssize_t nargs = PyVectorcall_NARGS(nargsf);
    if (nargs != 3 || kwnames != NULL) {
        PyErr_Format(PyExc_TypeError, "__setattr__ expected 3 arguments, got %zd", nargs);
        return NULL;
    }
    PyObject *obj = args[0], *name = args[1], *value = args[2];
    int watched = name == self->name;
    if (!watched && PyUnicode_Check(name) && PyUnicode_GET_LENGTH(name) == PyUnicode_GET_LENGTH(self->name)) {
        watched = PyUnicode_Compare(name, self->name) == 0;
    }
    if (!watched) {
        return PyObject_GenericSetAttr(obj, name, value) < 0 ? NULL : Py_NewRef(Py_None);
    }
    PyObject *before = NULL;
    if (lookup_attr(obj, name, &before) < 0 || PyObject_GenericSetAttr(obj, name, value) < 0) {
        Py_XDECREF(before);
        return NULL;
    }
    if (before != NULL) {
        if (resource_attr_changed(self, obj, before, value) < 0) {
            resource_failed(self->core);
        }
        Py_DECREF(before);
    }
    Py_RETURN_NONE;
}

/* -- construction -- */

static PyObject *
resource_core_new(PyTypeObject *type, PyObject *args, PyObject *kwargs)
{
    static char *names[] = {"watch", "ids", "holders", "code_sites", "kinds", "outermost", "find_outermost",
                            "condition", "clock", "perf_ns", "monotonic", "encode", "queue", "flush",
                            "batch_size", "get_running_loop", "current_task", "task_ids", "failed_task_ids", "steps",
                            "plain_qsize", NULL};
    PyObject *watch, *ids, *holders, *code_sites, *kinds, *outermost, *find_outermost, *condition, *clock,
        *perf_ns, *encode, *queue, *flush, *get_running_loop, *current_task, *task_ids, *failed_task_ids, *steps,
        *plain_qsize;
    int monotonic;
    Py_ssize_t batch_size;
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "$OO!O!O!O!O!OO!OOpOOOnOOO!O!OO", names, &watch, &IdTableType,
                                     &ids, &PyDict_Type, &holders, &PyDict_Type, &code_sites, &PyDict_Type, &kinds,
                                     &PyDict_Type, &outermost, &find_outermost, &PyType_Type, &condition, &clock,
                                     &perf_ns, &monotonic, &encode, &queue, &flush, &batch_size, &get_running_loop,
                                     &current_task, &PyDict_Type, &task_ids, &PyDict_Type, &failed_task_ids, &steps,
                                     &plain_qsize)) {
        return NULL;
    }
    ResourceCore *self = (ResourceCore *)type->tp_alloc(type, 0);
    if (self == NULL) {
        return NULL;
    }
    self->watch = Py_NewRef(watch);
    self->ids = Py_NewRef(ids);
    self->holders = Py_NewRef(holders);
    self->code_sites = Py_NewRef(code_sites);
    self->kinds = Py_NewRef(kinds);
    self->outermost = Py_NewRef(outermost);
    self->find_outermost = Py_NewRef(find_outermost);
    self->condition = Py_NewRef(condition);
    self->clock = Py_NewRef(clock);
    self->perf_ns = Py_NewRef(perf_ns);
    self->encode = Py_NewRef(encode);
    self->queue = Py_NewRef(queue);
    self->flush = Py_NewRef(flush);
    self->get_running_loop = Py_NewRef(get_running_loop);
    self->current_task = Py_NewRef(current_task);
    self->task_ids = Py_NewRef(task_ids);
    self->failed_task_ids = Py_NewRef(failed_task_ids);
    self->steps = Py_IS_TYPE(steps, &StepRunnerType) ? (StepRunner *)Py_NewRef(steps) : NULL;
    self->plain_qsize = Py_NewRef(plain_qsize);
    self->monotonic = monotonic;
    self->batch_size = batch_size;
    self->queue_append = PyObject_GetAttr(queue, str_append);
    self->type_facts = PyDict_New();
    if (self->queue_append == NULL || self->type_facts == NULL) {
        Py_DECREF(self);
        return NULL;
    }
    return (PyObject *)self;
}

static void
resource_core_dealloc(ResourceCore *self)
{
    Py_XDECREF(self->type_facts);
    Py_XDECREF(self->watch);
    Py_XDECREF(self->ids);
    Py_XDECREF(self->holders);
    Py_XDECREF(self->code_sites);
    Py_XDECREF(self->kinds);
    Py_XDECREF(self->outermost);
    Py_XDECREF(self->find_outermost);
    Py_XDECREF(self->condition);
    Py_XDECREF(self->clock);
    Py_XDECREF(self->perf_ns);
    Py_XDECREF(self->encode);
    Py_XDECREF(self->queue);
    Py_XDECREF(self->queue_append);
    Py_XDECREF(self->flush);
    Py_XDECREF(self->get_running_loop);
    Py_XDECREF(self->current_task);
    Py_XDECREF(self->task_ids);
    Py_XDECREF(self->failed_task_ids);
    Py_XDECREF(self->steps);
    Py_XDECREF(self->plain_qsize);
    for (int i = 0; i < SITE_CACHE; i++) {
        Py_XDECREF(self->sites[i].code);
        Py_XDECREF(self->sites[i].site);
    }
    Py_TYPE(self)->tp_free((PyObject *)self);
}

static PyTypeObject ResourceCallType, ResourceAttrType;

static PyObject *
resource_core_wrap(ResourceCore *self, PyObject *args)
{
    PyObject *original;
    int mode;
    if (!PyArg_ParseTuple(args, "Oi:wrap", &original, &mode)) {
        return NULL;
    }
    ResourceCall *call = PyObject_New(ResourceCall, &ResourceCallType);
    if (call == NULL) {
        return NULL;
    }
    call->vectorcall = (vectorcallfunc)resource_call;
    call->dict = NULL;
    call->core = (ResourceCore *)Py_NewRef(self);
    call->original = Py_NewRef(original);
    call->mode = mode;
    return (PyObject *)call;
}

static PyObject *
resource_core_attribute(ResourceCore *self, PyObject *args)
{
    PyObject *name, *changed;
    int mode;
    if (!PyArg_ParseTuple(args, "UiO:attribute", &name, &mode, &changed)) {
        return NULL;
    }
    ResourceAttr *attr = PyObject_New(ResourceAttr, &ResourceAttrType);
    if (attr == NULL) {
        return NULL;
    }
    attr->vectorcall = (vectorcallfunc)resource_setattr;
    attr->dict = NULL;
    attr->core = (ResourceCore *)Py_NewRef(self);
    attr->name = Py_NewRef(name);
    attr->changed = Py_NewRef(changed);
    attr->mode = mode;
    return (PyObject *)attr;
}

static PyMethodDef resource_core_methods[] = {
    {"wrap", (PyCFunction)resource_core_wrap, METH_VARARGS,
     "wrap(function, mode) -> the function, compiled hooks after it (0: __init__ registers, 1: a queue's size)."},
    {"attribute", (PyCFunction)resource_core_attribute, METH_VARARGS,
     "attribute(name, mode, changed) -> the write-watching descriptor (0: Lock._locked, 1: Semaphore._value "
     "through changed, 2: Event._value)."},
    {NULL},
};

static PyMemberDef resource_core_members[] = {
    {"count", T_PYSSIZET, offsetof(ResourceCore, count), 0, "The last resource id given."},
    {NULL},
};

static PyTypeObject ResourceCoreType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "asyncscope.runtime._hotpath.ResourceCore",
    .tp_doc = "What ResourceWatch shares with its compiled hooks.",
    .tp_basicsize = sizeof(ResourceCore),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_new = resource_core_new,
    .tp_dealloc = (destructor)resource_core_dealloc,
    .tp_methods = resource_core_methods,
    .tp_members = resource_core_members,
};

static void
resource_call_dealloc(ResourceCall *self)
{
    Py_XDECREF(self->dict);
    Py_XDECREF(self->core);
    Py_XDECREF(self->original);
    Py_TYPE(self)->tp_free((PyObject *)self);
}

static PyTypeObject ResourceCallType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "asyncscope.runtime._hotpath.ResourceCall",
    .tp_doc = "A resource class's method, with the compiled resource hook after it.",
    .tp_basicsize = sizeof(ResourceCall),
    FUNCTION_LIKE(ResourceCall),
    .tp_dealloc = (destructor)resource_call_dealloc,
};

static void
resource_attr_dealloc(ResourceAttr *self)
{
    Py_XDECREF(self->dict);
    Py_XDECREF(self->core);
    Py_XDECREF(self->name);
    Py_XDECREF(self->changed);
    Py_TYPE(self)->tp_free((PyObject *)self);
}

static PyMemberDef resource_attr_members[] = {
    {"name", T_OBJECT, offsetof(ResourceAttr, name), READONLY, "The attribute watched."},
    {"changed", T_OBJECT, offsetof(ResourceAttr, changed), READONLY, "The Python handler of a change."},
    {NULL},
};

static PyTypeObject ResourceAttrType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "asyncscope.runtime._hotpath.ResourceSetattr",
    .tp_doc = "A resource class's __setattr__: writes of its state attribute report.",
    .tp_basicsize = sizeof(ResourceAttr),
    FUNCTION_LIKE(ResourceAttr),
    .tp_dealloc = (destructor)resource_attr_dealloc,
    .tp_members = resource_attr_members,
};

/* ---- the module ---------------------------------------------------------------------- */

static PyMethodDef module_methods[] = {
    {"encode_wait_step", py_encode_wait_step, METH_VARARGS,
     "encode_wait_step(t, tid, dur, wait_bytes, chain) -> the msgpack of a waiting step (for tests)"},
    {"encode_step", py_encode_step, METH_VARARGS,
     "encode_step(t, tid, dur) -> the msgpack bytes of ('step', t, tid, dur, None, None)."},
    {"pack_event", py_pack_event, METH_O,
     "pack_event(items) -> the msgpack of a resource event's tuple as the compiled path writes it, or None "
     "when it would let msgspec encode it (for tests)."},
    {"_fail_after", py_fail_after, METH_O,
     "Test hook: make the encoding of the Nth bare-yield step from now fail (-1: never)."},
    {NULL},
};

static struct PyModuleDef module_def = {
    PyModuleDef_HEAD_INIT,
    .m_name = "asyncscope.runtime._hotpath",
    .m_doc = "The compiled hot path of asyncscope's child runtime (optional; see hooks.py).",
    .m_size = -1,
    .m_methods = module_methods,
};

#define INTERN(var, text)                               \
    do {                                                \
        if ((var = PyUnicode_InternFromString(text)) == NULL) \
            return NULL;                                \
    } while (0)

PyMODINIT_FUNC
PyInit__hotpath(void)
{
    INTERN(str_step, "step");
    INTERN(str_cr_frame, "cr_frame");
    INTERN(str_cr_await, "cr_await");
    INTERN(str_gi_frame, "gi_frame");
    INTERN(str_gi_yieldfrom, "gi_yieldfrom");
    INTERN(str_get_loop, "get_loop");
    INTERN(str_creating, "_creating");
    INTERN(str_next_tid, "_next_tid");
    INTERN(str_get_coro, "get_coro");
    INTERN(str_qualname, "__qualname__");
    INTERN(str_cr_code, "cr_code");
    INTERN(str_gi_code, "gi_code");
    INTERN(str_asyncio, "asyncio");
    INTERN(str_user, "user");
    INTERN(str_in_shutdown, "_in_shutdown");
    INTERN(str_get_name, "get_name");
    INTERN(str_created, "created");
    INTERN(str_discount, "discount");
    INTERN(str_done_tag, "done");
    INTERN(str_cancelled, "cancelled");
    INTERN(str_exception, "_exception");
    INTERN(str_result, "_result");
    if ((one = PyLong_FromLong(1)) == NULL) {
        return NULL;
    }
    INTERN(str_active, "active");
    INTERN(str_done, "done");
    INTERN(str_fut_waiter, "_fut_waiter");
    INTERN(str_before_step, "before_step");
    INTERN(str_origin_ns, "origin_ns");
    INTERN(str_flush_partial, "flush_partial");
    INTERN(str_append, "append");
    INTERN(str_ready, "_ready");
    INTERN(str_debug, "_debug");
    INTERN(str_closed, "_closed");
    INTERN(str_call_soon_impl, "_call_soon");
    INTERN(str_name, "__name__");
    INTERN(str_self, "__self__");
    INTERN(str_last_scheduled, "_last_scheduled");
    INTERN(str_context, "context");
    INTERN(str_run, "run");
    INTERN(str_resource_tag, "resource");
    INTERN(str_queue_suffix, "Queue");
    INTERN(str_res_state, "res-state");
    INTERN(str_fail, "_fail");
    INTERN(str_register, "register");
    INTERN(str_kind_of, "kind_of");
    INTERN(str_value_attr, "_value");
    INTERN(str_maxsize, "_maxsize");
    INTERN(str_parties, "_parties");
    INTERN(str_qsize, "qsize");
    INTERN(str_started, "started");
    INTERN(str_current, "_current");
    INTERN(str_queue_attr, "_queue");
    if (PyType_Ready(&StepRunnerType) < 0 || PyType_Ready(&CallSoonType) < 0 || PyType_Ready(&ResourceCoreType) < 0 ||
        PyType_Ready(&IdTableType) < 0 ||
        PyType_Ready(&ResourceCallType) < 0 || PyType_Ready(&ResourceAttrType) < 0) {
        return NULL;
    }
    PyObject *module = PyModule_Create(&module_def);
    if (module == NULL) {
        return NULL;
    }
    if (PyModule_AddObjectRef(module, "StepRunner", (PyObject *)&StepRunnerType) < 0 ||
        PyModule_AddObjectRef(module, "CallSoon", (PyObject *)&CallSoonType) < 0 ||
        PyModule_AddObjectRef(module, "ResourceCore", (PyObject *)&ResourceCoreType) < 0 ||
        PyModule_AddObjectRef(module, "IdTable", (PyObject *)&IdTableType) < 0) {
        Py_DECREF(module);
        return NULL;
    }
    return module;
}
