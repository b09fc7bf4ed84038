// The UCI digits the README's program reads: the README tells users to copy examples/src/main/resources/digits.csv.gz.
java.nio.file.Files.copy(new File(digits).toPath(), new File(basedir, 'digits.csv.gz').toPath(), java.nio.file.StandardCopyOption.REPLACE_EXISTING)
return true
