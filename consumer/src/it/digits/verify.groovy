// The program trained, evaluated, saved its weights and predicted, as the README says it does.
def log = new File(basedir, 'build.log').text
assert log.contains('test: loss ') && log =~ /accuracy 9[0-9]\.[0-9]{2}%/ : 'no test accuracy above 90 % in build.log'
assert log =~ /first test image: \d, label \d/
assert log.contains('hidden  Dense  (64)   (64)    RELU             4,160')
assert new File(basedir, 'digits.safetensors').length() > 19000
return true
