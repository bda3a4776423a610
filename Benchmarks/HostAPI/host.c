/* The host-API benchmark's reference side: the same operations as HostAPIBench/main.swift,
 * written against PUC-Rio Lua 5.4's C API (Debian's liblua5.4-dev). A measuring tool, not
 * part of any library target; Benchmarks/HostAPI/run.sh builds it with
 *     cc -O2 host.c $(pkg-config --cflags --libs lua5.4)
 *
 * Usage: host MODE N   prints "MODE N <ns per operation>" (the best of 5 timed rounds)
 *   call        Lua calls a registered C function add(a, b) N times
 *   table       the host sets and reads back a table field N times (lua_setfield + lua_getfield)
 *   call-lua    the host calls a Lua function N times (lua_getglobal + lua_pcall)
 *   state-open  N times: luaL_newstate + luaL_openlibs + lua_close
 *   state-keep  opens N states and keeps them; prints ns per state, then bytes per state (Lua's
 *               own count, and the growth of the process's resident memory)
 */
#include <lua.h>
#include <lauxlib.h>
#include <lualib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static double now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static long resident_bytes(void) {
  long pages = 0, resident = 0;
  FILE *f = fopen("/proc/self/statm", "r");
  if (f == NULL) return 0;
  if (fscanf(f, "%ld %ld", &pages, &resident) != 2) resident = 0;
  fclose(f);
  return resident * sysconf(_SC_PAGESIZE);
}

static int add(lua_State *L) {
  lua_Integer a = luaL_checkinteger(L, 1), b = luaL_checkinteger(L, 2);
  lua_pushinteger(L, a + b);
  return 1;
}

static double round_call(lua_State *L, long n) {
  double t0 = now_ns();
  lua_getglobal(L, "run");
  lua_pushinteger(L, n);
  if (lua_pcall(L, 1, 1, 0) != LUA_OK) { fprintf(stderr, "%s\n", lua_tostring(L, -1)); exit(1); }
  if (lua_tointeger(L, -1) != n) { fprintf(stderr, "wrong sum\n"); exit(1); }
  lua_pop(L, 1);
  return now_ns() - t0;
}

static double round_table(lua_State *L, long n) {
  lua_newtable(L);
  int t = lua_gettop(L);
  lua_Integer sum = 0;
  double t0 = now_ns();
  for (long i = 0; i < n; i++) {
    lua_pushinteger(L, i);
    lua_setfield(L, t, "x");
    lua_getfield(L, t, "x");
    sum += lua_tointeger(L, -1);
    lua_pop(L, 1);
  }
  double dt = now_ns() - t0;
  lua_pop(L, 1);
  if (sum != (lua_Integer)n * (n - 1) / 2) { fprintf(stderr, "wrong sum\n"); exit(1); }
  return dt;
}

static double round_call_lua(lua_State *L, long n) {
  lua_Integer sum = 0;
  double t0 = now_ns();
  for (long i = 0; i < n; i++) {
    lua_getglobal(L, "inc");
    lua_pushinteger(L, i);
    if (lua_pcall(L, 1, 1, 0) != LUA_OK) { fprintf(stderr, "%s\n", lua_tostring(L, -1)); exit(1); }
    sum += lua_tointeger(L, -1);
    lua_pop(L, 1);
  }
  double dt = now_ns() - t0;
  if (sum != (lua_Integer)n * (n + 1) / 2) { fprintf(stderr, "wrong sum\n"); exit(1); }
  return dt;
}

static double round_state_open(long n) {
  double t0 = now_ns();
  for (long i = 0; i < n; i++) {
    lua_State *L = luaL_newstate();
    luaL_openlibs(L);
    lua_close(L);
  }
  return now_ns() - t0;
}

int main(int argc, char **argv) {
  if (argc != 3) { fprintf(stderr, "usage: host MODE N\n"); return 2; }
  const char *mode = argv[1];
  long n = atol(argv[2]);
  if (n <= 0) { fprintf(stderr, "N must be positive\n"); return 2; }

  if (strcmp(mode, "state-keep") == 0) {
    lua_State **states = malloc(sizeof(lua_State *) * (size_t)n);
    long before = resident_bytes();
    double t0 = now_ns();
    for (long i = 0; i < n; i++) { states[i] = luaL_newstate(); luaL_openlibs(states[i]); }
    double dt = now_ns() - t0;
    long after = resident_bytes();
    long counted = lua_gc(states[0], LUA_GCCOUNT, 0) * 1024L + lua_gc(states[0], LUA_GCCOUNTB, 0);
    printf("%s %ld %.0f ns/state, %ld bytes counted by Lua, %ld bytes resident per state\n",
           mode, n, dt / (double)n, counted, (after - before) / n);
    for (long i = 0; i < n; i++) lua_close(states[i]);
    free(states);
    return 0;
  }

  lua_State *L = luaL_newstate();
  luaL_openlibs(L);
  lua_register(L, "add", add);
  if (luaL_dostring(L, "function run(n) local s = 0 for i = 1, n do s = add(s, 1) end return s end\n"
                       "function inc(x) return x + 1 end") != LUA_OK) {
    fprintf(stderr, "%s\n", lua_tostring(L, -1));
    return 1;
  }
  double best = 0;
  for (int round = 0; round < 5; round++) {
    double dt;
    if (strcmp(mode, "call") == 0) dt = round_call(L, n);
    else if (strcmp(mode, "table") == 0) dt = round_table(L, n);
    else if (strcmp(mode, "call-lua") == 0) dt = round_call_lua(L, n);
    else if (strcmp(mode, "state-open") == 0) dt = round_state_open(n);
    else { fprintf(stderr, "unknown mode %s\n", mode); return 2; }
    if (round == 0 || dt < best) best = dt;
  }
  printf("%s %ld %.1f ns/op\n", mode, n, best / (double)n);
  lua_close(L);
  return 0;
}
