package dev.caravan.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.caravan.contract.ExecuteResult;
import dev.caravan.contract.Status;
import org.junit.jupiter.api.Test;

class SmokeTest {

    @Test
    void pythonHello() {
        ExecuteResult r = SharedEngine.run("python", "print(input())", SharedEngine.expect("hi\n", "hi\n"));
        System.out.println(r);
        assertEquals(Status.ACCEPTED, r.status());
        ExecuteResult c = SharedEngine.run("c", "#include <stdio.h>\nint main(){int a,b;scanf(\"%d %d\",&a,&b);printf(\"%d\\n\",a+b);}", SharedEngine.expect("1 2\n", "3\n"));
        System.out.println(c);
        ExecuteResult j = SharedEngine.run("java", "public class Main{public static void main(String[] a){System.out.println(new java.util.Scanner(System.in).nextInt()*2);}}", SharedEngine.expect("21\n", "42\n"));
        System.out.println(j);
        ExecuteResult n = SharedEngine.run("javascript", "console.log(require('fs').readFileSync(0,'utf8').trim())", SharedEngine.expect("x\n", "x\n"));
        System.out.println(n);
        ExecuteResult p = SharedEngine.run("cpp", "#include <iostream>\nint main(){std::cout<<\"ok\\n\";}", SharedEngine.expect("", "ok\n"));
        System.out.println(p);
    }
}
