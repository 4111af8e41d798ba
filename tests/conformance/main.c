/* Runs every module of the conformance corpus in one process. */
void run_basic(void);
void run_markers(void);
void run_module_off(void);
void run_module_plain(void);
void run_names(void);
void run_cxx(void);

int main(void) {
  run_basic();
  run_markers();
  run_module_off();
  run_module_plain();
  run_names();
  run_cxx();
  return 0;
}
