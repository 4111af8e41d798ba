/* Runs the marker modules of the conformance corpus. */
void run_markers(void);
void run_module_off(void);
void run_module_plain(void);

int main(void) {
  run_markers();
  run_module_off();
  run_module_plain();
  return 0;
}
